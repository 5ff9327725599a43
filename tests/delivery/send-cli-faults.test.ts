import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from './support/cli-workspace.ts';
import { spawnCli } from './support/spawn-cli.ts';
import {
  startFaultySmtpServer,
  type FaultContext,
  type FaultySmtpServer,
  type MessageFault,
} from './support/faulty-smtp-server.ts';

const NOW = '2026-11-28T07:00:00.000Z';

const servers: FaultySmtpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function faultyServer(decide: (context: FaultContext) => MessageFault): Promise<FaultySmtpServer> {
  const server = await startFaultySmtpServer(decide);
  servers.push(server);
  return server;
}

const readers = (count: number) => Array.from({ length: count }, (_, i) => `reader${i + 1}@example.org`);
const readerNumber = (address: string) => Number(/reader(\d+)@/.exec(address)?.[1] ?? 0);

interface Row {
  subscriberId: number;
  email: string;
  status: string;
  errorCode: string | null;
}

describe('tidings send against a server that loses replies after the final dot', () => {
  const tempDir = useTempDir();

  it('reports every lost reply as ambiguous, never sends twice, loses nobody, and exits 1 with the rerun hint', async () => {
    const list = readers(300);
    // About 5%: every 20th reader's first reply after the final dot is lost (the server keeps the message).
    const server = await faultyServer(({ to, attempt }) =>
      readerNumber(to[0]!) % 20 === 7 && attempt === 1 ? 'drop-after-dot' : 'accept',
    );
    const ws = createCliWorkspace(tempDir(), {
      subscribers: list,
      maxConnections: 4,
      transport: { socketTimeout: '2s' },
    });
    ws.addArticles(NOW);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: server.url, now: NOW });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);

    const sent = await cli(['send', 'daily', '--at', NOW]);
    expect(sent.code, sent.out + sent.err).toBe(1);
    expect(sent.out).toContain('285 accepted');
    expect(sent.out).toMatch(
      /15 ambiguous deliveries \(the server may have accepted them; 15 left by this run, with no reply after the end of DATA\): reader7@/,
    );
    expect(sent.out).toContain(`send daily --at 2026-11-28T07:00:00+00:00 --resend-ambiguous`);

    const { deliveries } = JSON.parse((await cli(['deliveries', 'daily/2026-11-28T07:00', '--json'])).out) as {
      deliveries: Row[];
    };
    expect(deliveries).toHaveLength(300);
    let ambiguous = 0;
    for (const row of deliveries) {
      const copies = server.copiesFor(row.email);
      if (row.status === 'accepted') expect(copies, row.email).toBe(1);
      else {
        // No loss: the only other state is ambiguous, with the reason noted; at most one copy at the server.
        expect(row, row.email).toMatchObject({ status: 'sending', errorCode: 'TRANSPORT_AMBIGUOUS' });
        expect(readerNumber(row.email) % 20).toBe(7);
        expect(copies).toBeLessThanOrEqual(1);
        ambiguous++;
      }
    }
    expect(ambiguous).toBe(15);
    // No unreported duplicate: copies at the server = accepted rows + ambiguous rows that reached it.
    expect(server.messages).toHaveLength(300);
    const [status] = JSON.parse((await cli(['status', '--json'])).out).editions;
    expect(status).toMatchObject({ accepted: 285, sending: 15, ambiguous: 15, status: 'sending' });

    // A plain rerun resends nothing and still exits 1.
    const rerun = await cli(['send', 'daily', '--at', NOW]);
    expect(rerun.code).toBe(1);
    expect(server.messages).toHaveLength(300);

    // An outcome journal left by a failing store is applied by `status` before it counts.
    const one = deliveries.find((row) => row.status === 'sending')!;
    const journal = path.join(ws.dir, 'data', 'tidings.db.outcomes.jsonl');
    writeFileSync(
      journal,
      `${JSON.stringify({ kind: 'accepted', editionId: 'daily/2026-11-28T07:00', subscriberId: one.subscriberId, at: NOW, record: { messageId: '<j@x>', response: '250 2.0.0 Ok: queued', segment: 's', articleIds: [] } })}\n`,
    );
    const applied = await cli(['status', '--json']);
    expect(applied.err).toContain('Applied 1 delivery outcomes');
    expect(JSON.parse(applied.out).editions[0]).toMatchObject({ accepted: 286, ambiguous: 14 });
    expect(existsSync(journal)).toBe(false);

    // Ops chooses to resend the ambiguous rows: they get a second copy, knowingly.
    const resent = await cli(['send', 'daily', '--at', NOW, '--resend-ambiguous']);
    expect(resent.code, resent.out).toBe(0);
    expect(resent.out).toContain('14 ambiguous rows were resent');
    expect(server.messages).toHaveLength(314);
  }, 60_000);
});

describe('tidings run leaving ambiguous rows', () => {
  const tempDir = useTempDir();

  it('exits 1 (so a cron alert fires) and prints the --resend-ambiguous command', async () => {
    const server = await faultyServer(({ to }) => (to[0] === 'reader2@example.org' ? 'drop-after-dot' : 'accept'));
    const ws = createCliWorkspace(tempDir(), { subscribers: readers(4) });
    ws.addArticles(NOW);
    const ran = await ws.cli(['run', '--at', NOW], { smtpUrl: server.url, now: NOW });
    expect(ran.code, ran.out + ran.err).toBe(1);
    expect(ran.out).toMatch(/3 accepted/);
    expect(ran.out).toMatch(/1 ambiguous deliveries .*reader2@example\.org.*send daily --at \S+ --resend-ambiguous/);
    expect(server.copiesFor('reader2@example.org')).toBe(1);
  }, 60_000);
});

describe('a second send of an edition that is being sent', () => {
  const tempDir = useTempDir();

  it('is refused while the first holds the lease: --resend-ambiguous exits 2 naming the holder, a plain send exits 1', async () => {
    const server = await faultyServer(() => ({ delayMs: 150 }));
    const ws = createCliWorkspace(tempDir(), { subscribers: readers(12), maxConnections: 1 });
    ws.addArticles(NOW);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: server.url, now: NOW });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);

    const first = cli(['send', 'daily', '--at', NOW]);
    while (server.begun() < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const resend = await cli(['send', 'daily', '--at', NOW, '--resend-ambiguous']);
    expect(resend.code).toBe(2);
    expect(resend.out).toMatch(/\[SEND_LEASE_HELD\] daily\/2026-11-28T07:00 is being sent by \S+ pid \d+ run \w+/);
    expect(resend.out).toContain('would resend its messages in flight');
    const plain = await cli(['send', 'daily', '--at', NOW]);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain('SEND_LEASE_HELD');
    const status = JSON.parse((await cli(['status', '--json'])).out).editions[0];
    expect(status.sendingNow?.holder).toMatch(/pid \d+/);
    expect(status.ambiguous).toBe(0);

    const done = await first;
    expect(done.code, done.out).toBe(0);
    expect(server.messages).toHaveLength(12);
    // The lease is released at the end: the same command now runs (and finds nothing to do).
    const after = await cli(['send', 'daily', '--at', NOW, '--resend-ambiguous']);
    expect(after.code, after.out).toBe(0);
    expect(server.messages).toHaveLength(12);
  }, 60_000);
});

describe('SIGTERM while the server is silent after DATA', () => {
  const tempDir = useTempDir();

  it('finishes within socketTimeout: the messages in flight become ambiguous, the summary prints, exit 130', async () => {
    const server = await faultyServer(() => 'silent');
    const ws = createCliWorkspace(tempDir(), {
      subscribers: readers(10),
      maxConnections: 2,
      transport: { socketTimeout: '1s' },
    });
    const now = new Date();
    const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
    ws.addArticles(slot);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: server.url, now: now.toISOString() });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);

    const stopped = await spawnCli(
      ['-c', ws.configFile, 'send', 'daily', '--at', slot],
      { SMTP_URL: server.url },
      {
        signal: 'SIGTERM',
        when: () => server.messages.length >= 1,
      },
    );
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stdout).toMatch(/ambiguous deliveries \(the server may have accepted them/);
    expect(stopped.stdout).toContain('Stopped by a signal');
    const [edition] = JSON.parse((await cli(['status', '--json'])).out).editions;
    // Each message the server kept is ambiguous, nothing was sent twice, the rest were never claimed.
    expect(edition.ambiguous).toBe(server.messages.length);
    expect(edition.accepted).toBe(0);
    expect(server.begun()).toBe(server.messages.length);
    expect(edition.pending + edition.sending).toBe(10);
  }, 60_000);
});

describe('a store that fails in the middle of a send', () => {
  const tempDir = useTempDir();

  it('ends with the summary (not a stack trace) and exit 1; the 250 goes to the journal, which the next run applies first', async () => {
    const server = await faultyServer(() => 'accept');
    const list = readers(20);
    const ws = createCliWorkspace(tempDir(), { subscribers: list, maxConnections: 1 });
    ws.addArticles(NOW);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: server.url, now: NOW });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);
    // The store refuses to record reader 5's acceptance, as a full disk would.
    const db = new Database(path.join(ws.dir, 'data', 'tidings.db'));
    db.exec(`CREATE TRIGGER full_disk BEFORE UPDATE OF status ON deliveries
      WHEN NEW.status = 'accepted' AND NEW.subscriber_id = (SELECT id FROM subscribers WHERE email = 'reader5@example.org')
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);

    const failed = await cli(['send', 'daily', '--at', NOW]);
    expect(failed.code, failed.out + failed.err).toBe(1);
    expect(failed.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(failed.out).toMatch(/daily\/2026-11-28T07:00: 5 accepted/);
    expect(failed.out).toMatch(/1 outcomes the store could not record are kept in .*tidings\.db\.outcomes\.jsonl/);
    expect(failed.out).toMatch(
      /Sending stopped by an error: \[STORE_FAILED\] .*disk is full.*resume with: tidings .*send daily/,
    );
    expect(server.messages).toHaveLength(5);

    // Still failing: `status` keeps the journal and says so in one line.
    const stillFull = await cli(['status']);
    expect(stillFull.code).toBe(1);
    expect(stillFull.err).toMatch(
      /^error: \[STORE_FAILED\] .*cannot apply the outcome journal \(kept for the next run\)/,
    );
    expect(stillFull.err).not.toMatch(/\n\s+at /);

    db.exec('DROP TRIGGER full_disk');
    db.close();
    const resumed = await cli(['send', 'daily', '--at', NOW]);
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    expect(resumed.err).toContain('Applied 1 delivery outcomes');
    expect(resumed.out).toMatch(/15 accepted, 0 failed, 0 skipped, 5 already handled/);
    for (const address of list) expect(server.copiesFor(address), address).toBe(1);
  }, 60_000);
});
