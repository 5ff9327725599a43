import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_SECRETS, isSecretFileShared, judgePublicSecret, resolveLinkSecret } from '../../src/app/link-secret.ts';
import { signSubscriberToken, verifySubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { runCli } from '../helpers/cli-run.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHILD = path.resolve(import.meta.dirname, '../fixtures/app/resolve-secret-child.ts');
const OLD_FALLBACK = 'insecure-quick-start-secret-change-me';

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
  });
}

/** A copy of the quick start (samples, subscribers, the committed config) with `transport` replaced when given. */
function quickStart(dir: string, transport?: string): string {
  for (const folder of ['samples', 'subscribers'])
    cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  let config = readFileSync(path.join(ROOT, 'tidings.config.yaml'), 'utf8');
  if (transport) config = config.replace(/transport:\n {2}type: outbox\n {2}dir: outbox/, transport);
  const file = path.join(dir, 'tidings.config.yaml');
  writeFileSync(file, config);
  return file;
}

describe('the link secret', () => {
  const tempDir = useTempDir('tidings-secret-');

  it('is created once in the data folder (43 base64url characters, mode 0600) and read back by later runs', () => {
    const storePath = path.join(tempDir(), 'data', 'tidings.db');
    const first = resolveLinkSecret({ configured: undefined, storePath, configFile: 'c.yaml' });
    expect(first.origin).toBe('created');
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.file).toBe(path.join(path.dirname(storePath), 'secret'));
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    const again = resolveLinkSecret({ configured: undefined, storePath, configFile: 'c.yaml' });
    expect(again).toEqual({ value: first.value, origin: 'file', file: first.file });
    // No temporary file is left beside it.
    expect(readdirSync(path.dirname(storePath))).toEqual(['secret']);
    expect(isSecretFileShared(first.file!)).toBe(false);
    chmodSync(first.file!, 0o644);
    expect(isSecretFileShared(first.file!)).toBe(true);
  });

  it('is the configured one when web.secret is set, and a new random one per process for a store in memory', () => {
    expect(
      resolveLinkSecret({
        configured: 'configured-secret-0123456789',
        storePath: '/nowhere/t.db',
        configFile: 'c.yaml',
      }).origin,
    ).toBe('config');
    const a = resolveLinkSecret({ configured: undefined, storePath: ':memory:', configFile: 'c.yaml' });
    const b = resolveLinkSecret({ configured: undefined, storePath: ':memory:', configFile: 'c.yaml' });
    expect(a.origin).toBe('ephemeral');
    expect(a.value).not.toBe(b.value);
  });

  it('refuses a secret file too short to be one, naming the file', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secret'), 'short\n');
    expect(() =>
      resolveLinkSecret({ configured: undefined, storePath: path.join(dir, 't.db'), configFile: 'c.yaml' }),
    ).toThrow(/web\.secret: .*secret holds no usable secret/);
  });

  it('is the same for three processes that start at the same moment on a fresh data folder', async () => {
    const storePath = path.join(tempDir(), 'data', 'tidings.db');
    const startAt = String(Date.now() + 6_000);
    const lines = await Promise.all([1, 2, 3].map(() => runChild([storePath, startAt])));
    const values = new Set(lines.map((line) => line.split(' ')[1]));
    expect(values.size).toBe(1);
    expect(lines.filter((line) => line.startsWith('created '))).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(storePath), 'secret'), 'utf8').trim()).toBe([...values][0]);
  }, 60_000);

  it('lists every secret value written in the repository and its documentation as public', () => {
    const files = [
      'README.md',
      'tidings.config.yaml',
      ...readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join('docs', f)),
    ];
    const found = new Set<string>();
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      // `TIDINGS_SECRET=value`, `secret: value` and `${TIDINGS_SECRET:-value}`: every way a value is written down.
      for (const match of text.matchAll(/(?:TIDINGS_SECRET=|\bsecret:[ \t]*|TIDINGS_SECRET:-)([^\s$`'"{}|]+)/g)) {
        // An ellipsis is a placeholder for the reader's own value, not a value.
        if (!/^(…|\.\.\.)$/.test(match[1]!)) found.add(match[1]!);
      }
    }
    expect([...found].filter((value) => !PUBLIC_SECRETS.has(value))).toEqual([]);
    expect(found.size).toBeGreaterThan(0);
    expect(PUBLIC_SECRETS.has(OLD_FALLBACK)).toBe(true);
    expect(judgePublicSecret(OLD_FALLBACK, 'smtp')).toBe('refuse');
    expect(judgePublicSecret(OLD_FALLBACK, 'outbox')).toBe('warn');
    expect(judgePublicSecret(OLD_FALLBACK, 'unavailable')).toBe('refuse');
    expect(judgePublicSecret('a-private-random-value-0123456789', 'smtp')).toBe('ok');
  });

  it('the quick start runs without any variable, signing with a secret of its own, not the old public one', async () => {
    const dir = tempDir();
    const config = quickStart(dir);
    const run = await runCli(['-q', '-c', config, 'run', '--at', '2026-11-28T07:30:00Z'], {}, '2026-11-28T07:31:00Z');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/6 accepted, 0 failed/);
    const secret = readFileSync(path.join(dir, 'data', 'secret'), 'utf8').trim();
    const outbox = path.join(dir, 'outbox', readdirSync(path.join(dir, 'outbox'))[0]!);
    const message = readFileSync(path.join(outbox, readdirSync(outbox)[0]!), 'latin1');
    const token = /List-Unsubscribe: <https?:\/\/[^>]+\/u\/([^>]+)>/.exec(message)![1]!;
    expect(verifySubscriberToken(token, secret)).toMatchObject({ purpose: 'unsubscribe' });
    // The forgery of the issue: a token signed with the old public fallback no longer verifies.
    const forged = signSubscriberToken(
      { subscriberId: 2, newsletterId: 'daily', purpose: 'unsubscribe' },
      OLD_FALLBACK,
    );
    expect(verifySubscriberToken(forged, secret)).toBeNull();
  });

  it('a public secret is refused with exit 2 for smtp, before anything is read or sent', async () => {
    const dir = tempDir();
    const config = quickStart(dir, 'transport:\n  type: smtp\n  url: smtp://127.0.0.1:9');
    for (const value of PUBLIC_SECRETS) {
      const result = await runCli(['-q', '-c', config, 'run'], { TIDINGS_SECRET: value });
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/web\.secret: this value is published in the Tidings repository or documentation/);
    }
    expect(existsSync(path.join(dir, 'data', 'tidings.db'))).toBe(false);
    // A private value is accepted (the send then fails on the closed port, which is not this test's business).
    const ok = await runCli(['-q', '-c', config, 'status'], { TIDINGS_SECRET: 'a-private-random-value-0123456789' });
    expect(ok.code, ok.err).toBe(0);
  });

  it('says once, on stderr, that it created the secret and where, when a command first signs links', async () => {
    const dir = tempDir();
    const config = quickStart(dir);
    // A command that signs nothing neither creates the secret nor talks about it.
    const listing = await runCli(['-c', config, 'edition', 'list']);
    expect(listing.code).toBe(0);
    expect(existsSync(path.join(dir, 'data', 'secret'))).toBe(false);
    const bin = (): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, tidingsProcessArgs('-c', config, 'send', 'daily', '--dry-run'), {
          env: { PATH: process.env.PATH, CI: '1' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const first = await bin();
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stderr.split('\n').filter((line) => line.includes('link secret'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path.join(dir, 'data', 'secret'));
    const second = await bin();
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('link secret');
  }, 60_000);
});
