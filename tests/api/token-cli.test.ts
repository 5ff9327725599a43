import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../delivery/support/spawn-cli.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `tidings serve` in its own process; resolves once /healthz answers. */
async function startServe(configFile: string, env: Record<string, string>, base: string): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, tidingsProcessArgs('-q', '-c', configFile, 'serve'), {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  for (let tries = 0; tries < 1800; tries++) {
    if (
      await fetch(`${base}/healthz`).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('tidings serve did not answer /healthz');
}

describe('tidings token (real processes)', () => {
  const tempDir = useTempDir('tidings-token-cli-');

  it('creates a token shown once, which `tidings serve` accepts for its scopes; list shows its use; revoke ends it', async () => {
    const dir = tempDir();
    for (const folder of ['samples', 'subscribers'])
      cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const configFile = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      configFile,
      readFileSync(path.resolve('tidings.config.yaml'), 'utf8').replace(/\nweb:\n/, `\nweb:\n  port: ${port}\n`),
    );
    const env = { TIDINGS_SECRET: 'token-cli-secret-0123456789abcdef' };
    const cli = (...args: string[]) => spawnCli(['-q', '-c', configFile, ...args], env);

    const refused = await cli('token', 'create', 'bad', '--scope', 'everything');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unknown scope "everything"/);
    const created = await cli('token', 'create', 'crm', '--scope', 'subscribers:read', '--scope', 'editions:read');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^tdg_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/shown only this once/);
    // Only its hash is kept.
    for (const file of readdirSync(path.join(dir, 'data')).filter((f) => f.startsWith('tidings.db')))
      expect(readFileSync(path.join(dir, 'data', file)).includes(Buffer.from(token))).toBe(false);

    await startServe(configFile, env, base);
    const call = (route: string) => fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call('/api/v1/newsletters')).status).toBe(200);
    expect((await call('/api/v1/sources')).status).toBe(403);

    const listed = await cli('token', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        name: 'crm',
        scopes: ['subscribers:read', 'editions:read'],
        lastUsedAt: expect.any(String),
        revokedAt: null,
      }),
    ]);
    expect(listed.stdout).not.toContain(token);

    expect((await cli('token', 'revoke', 'crm')).code).toBe(0);
    expect((await call('/api/v1/newsletters')).status).toBe(401);
    expect((await cli('token', 'revoke', 'crm')).code).toBe(1);
  }, 180_000);
});
