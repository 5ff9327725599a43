import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from './support/cli-workspace.ts';
import { startFaultySmtpServer, type FaultySmtpServer } from './support/faulty-smtp-server.ts';
import { spawnCli } from './support/spawn-cli.ts';

const READERS = Array.from({ length: 6 }, (_, i) => `reader${i + 1}@example.org`);
/** The server keeps their first message but the reply is lost: ambiguous rows. */
const LOST_REPLY = new Set(['reader2@example.org', 'reader3@example.org', 'reader4@example.org']);

const cleanups: (() => Promise<void> | void)[] = [];
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

/** `tidings serve` as its own process, until the test ends; resolves once /healthz answers. */
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
    const up = await fetch(`${base}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('tidings serve did not answer /healthz');
}

const copiesPerReader = (server: FaultySmtpServer, from = 0) => {
  const counts: Record<string, number> = {};
  for (const message of server.messages.slice(from)) for (const to of message.to) counts[to] = (counts[to] ?? 0) + 1;
  return counts;
};

describe('ambiguous deliveries closed by the operator (real processes)', () => {
  const tempDir = useTempDir();

  it('resolve records the decision; the rerun sends exactly to the not-accepted readers; the edition becomes sent and public', async () => {
    const server = await startFaultySmtpServer(({ to, attempt }) =>
      LOST_REPLY.has(to[0]!) && attempt === 1 ? 'drop-after-dot' : 'accept',
    );
    cleanups.push(() => server.close());
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS, maxConnections: 1 });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // A public archive (with its feed) on a port of our own.
    const config = readFileSync(ws.configFile, 'utf8')
      .replace('    timezone: UTC\n', '    timezone: UTC\n    public: true\n')
      .replace('web:\n', `web:\n  host: 127.0.0.1\n  port: ${port}\n`);
    writeFileSync(ws.configFile, config);
    const env = { SMTP_URL: server.url };
    const now = new Date();
    const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
    const edition = `daily/${slot.slice(0, 16)}`;
    const pagePath = `/e/daily/${encodeURIComponent(slot.slice(0, 16))}`;
    ws.addArticles(slot);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: server.url, now: now.toISOString() });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);
    const tidings = (...args: string[]) => spawnCli(['-q', '-c', ws.configFile, ...args], env);

    const first = await tidings('send', 'daily', '--at', slot);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain(`${edition} in all: 3 accepted, 0 failed, 3 ambiguous, 0 skipped, 0 pending of 6.`);
    expect(first.stdout).toContain('deliveries resolve');
    const status = JSON.parse((await cli(['status', '--json'])).out).editions[0];
    expect(status).toMatchObject({
      edition,
      status: 'sending',
      accepted: 3,
      failed: 0,
      ambiguous: 3,
      skipped: 0,
      pending: 0,
      inFlight: 0,
    });
    expect((await cli(['status'])).out).toMatch(new RegExp(`${edition}\\s+sending\\s+3\\s+0\\s+3\\s+0\\s+0\\s+0\\s+6`));

    // While ambiguous rows wait: not in the archive, /healthz warns, the gauge counts them.
    await startServe(ws.configFile, env, base);
    expect(await (await fetch(`${base}/archive/daily`)).text()).not.toContain(pagePath);
    expect(await (await fetch(`${base}/archive/daily/feed.atom`)).text()).not.toContain(pagePath);
    const warned = await fetch(`${base}/healthz`);
    expect(warned.status).toBe(200);
    expect(await warned.text()).toMatch(
      new RegExp(`^warn: store ok; 3 ambiguous deliveries unresolved \\(${edition}: 3\\)`),
    );
    expect(await (await fetch(`${base}/metrics`)).text()).toContain(
      'tidings_ambiguous_deliveries{newsletter="daily"} 3',
    );

    // Refused, and nothing recorded: a reader whose row is not ambiguous, or who is not in the edition.
    const notAmbiguous = await tidings(
      'deliveries',
      'resolve',
      edition,
      'reader1@example.org',
      'reader2@example.org',
      '--accepted',
    );
    expect(notAmbiguous.code).toBe(2);
    expect(notAmbiguous.stderr).toContain('reader1@example.org: not ambiguous (accepted)');
    const stranger = await tidings('deliveries', 'resolve', edition, 'nobody@example.org', '--not-accepted');
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('nobody@example.org: no delivery of this edition');
    expect((await tidings('deliveries', 'resolve', edition, '--all-ambiguous')).code).toBe(2); // neither --accepted nor --not-accepted

    const accepted = await tidings(
      'deliveries',
      'resolve',
      edition,
      'reader2@example.org',
      '--accepted',
      '--by',
      'ops',
    );
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('1 ambiguous deliveries recorded as accepted by ops');
    const notAccepted = await tidings(
      'deliveries',
      'resolve',
      edition,
      '--all-ambiguous',
      '--not-accepted',
      '--by',
      'ops',
    );
    expect(notAccepted.code, notAccepted.stderr).toBe(0);
    expect(notAccepted.stdout).toContain(
      '2 ambiguous deliveries recorded as not accepted by ops: reader3@example.org, reader4@example.org',
    );
    expect(JSON.parse((await cli(['status', '--json'])).out).editions[0]).toMatchObject({
      status: 'sending',
      accepted: 4,
      ambiguous: 0,
      pending: 2,
    });

    // The rerun sends to exactly the two not-accepted readers, never to the accepted one.
    const before = server.messages.length;
    const rerun = await tidings('send', 'daily', '--at', slot);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`${edition} in all: 6 accepted, 0 failed, 0 ambiguous, 0 skipped, 0 pending of 6.`);
    expect(copiesPerReader(server, before)).toEqual({ 'reader3@example.org': 1, 'reader4@example.org': 1 });
    expect(copiesPerReader(server)).toEqual({
      'reader1@example.org': 1,
      'reader2@example.org': 1,
      'reader3@example.org': 2,
      'reader4@example.org': 2,
      'reader5@example.org': 1,
      'reader6@example.org': 1,
    });

    // Sent, keeping who resolved what; public in the archive and its feed; nothing left to warn about.
    const note = '3 were ambiguous, resolved by ops (1 accepted, 2 not accepted and resent)';
    expect(JSON.parse((await cli(['status', '--json'])).out).editions[0]).toMatchObject({
      status: 'sent',
      statusReason: note,
    });
    expect((await cli(['edition', 'show', edition])).out).toContain(`${edition}  sent (${note})`);
    expect(await (await fetch(`${base}/archive/daily`)).text()).toContain(pagePath);
    expect(await (await fetch(`${base}/archive/daily/feed.atom`)).text()).toContain(pagePath);
    expect(await (await fetch(`${base}/healthz`)).text()).toMatch(/^ok: store ok\n$/);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain(
      'tidings_ambiguous_deliveries{newsletter="daily"} 0',
    );
  }, 480_000); // several child processes compiling the CLI through tsx: slow on a loaded machine
});
