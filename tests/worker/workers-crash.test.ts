import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/store/postgres/pg-database.ts';
import { PgLedger } from '../../src/store/postgres/pg-ledger.ts';
import type { WorkerSummary } from '../../src/worker/run-worker.ts';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { openMigratedTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';
import { enqueueEdition, SEGMENTS, WORKER_EDITION } from './support/worker-fixture.ts';

const CHILD = path.resolve(import.meta.dirname, '../fixtures/worker/worker-child.ts');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Exited {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

async function relaxCommits(url: string): Promise<void> {
  const admin = new PgDatabase(url, { maxConnections: 1 });
  await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET synchronous_commit = off`);
  await admin.close();
}

function startWorker(args: string[]): { child: ChildProcess; exited: Promise<Exited> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<Exited>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exited };
}

describe.skipIf(!PG_TEST_URL)('three workers on one PostgreSQL store, one killed with SIGKILL mid-send', () => {
  it('sends every subscriber exactly one message except the reported ambiguous rows, and loses nobody', async () => {
    const COUNT = 5000;
    const LEASE_MS = 3000;
    // The PostgreSQL server is not what is killed here: commits need not wait for its disk.
    const { db, url } = await openMigratedTestDatabase('tidings_workers', cleanups, relaxCommits);
    const ids = await enqueueEdition(db, COUNT);
    expect(ids).toHaveLength(COUNT);
    const sink = await startSmtpSink({ delayMs: 2 });
    cleanups.push(() => sink.close());

    const workers = ['w1', 'w2', 'w3'].map((id) => ({ id, ...startWorker([url, sink.url, id, String(LEASE_MS)]) }));
    const victim = workers[1]!;
    // Killed mid-send, at a moment it holds leased rows it has not put in flight: those must come back.
    let leasedAtKill = 0;
    await new Promise<void>((resolve, reject) => {
      const watch = setInterval(() => {
        if (sink.messages.length < COUNT * 0.3) return;
        db.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM deliveries WHERE lease_owner = $1 AND status = 'pending'`,
          [victim.id],
        ).then(({ rows }) => {
          if (rows[0]!.n === 0 || victim.child.exitCode !== null) return;
          clearInterval(watch);
          victim.child.kill('SIGKILL');
          leasedAtKill = rows[0]!.n;
          resolve();
        }, reject);
      }, 5);
      victim.exited.then((exit) => {
        clearInterval(watch);
        reject(
          new Error(
            `the worker to kill ended first (${exit.code}, ${sink.messages.length} messages): ${exit.stderr}${exit.stdout}`,
          ),
        );
      });
    });
    const killed = await victim.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(leasedAtKill).toBeGreaterThan(0);
    const inFlight = `SELECT COUNT(*)::int AS n FROM deliveries WHERE edition_id = $1 AND status = 'sending' AND lease_owner = $2`;
    const inFlightAtKill = (await db.query<{ n: number }>(inFlight, [WORKER_EDITION, victim.id])).rows[0]!.n;

    const survivors = await Promise.all([workers[0]!.exited, workers[2]!.exited]);
    const summaries = survivors.map((exit) => {
      expect(exit.code, exit.stderr).toBe(0);
      return JSON.parse(exit.stdout) as WorkerSummary;
    });

    const ledger = new PgLedger(db);
    const counts = await ledger.counts(WORKER_EDITION);
    const ambiguous = new Set((await ledger.listAmbiguous(WORKER_EDITION)).map((row) => row.subscriberId));
    // Only the victim's messages in flight are ambiguous: at most its concurrency (4).
    expect(counts).toMatchObject({ total: COUNT, pending: 0, failed: 0, skipped: 0 });
    expect(counts.sending).toBe(ambiguous.size);
    expect(ambiguous.size).toBeLessThanOrEqual(4);
    expect(ambiguous.size).toBe(inFlightAtKill);
    expect((await db.query<{ n: number }>(inFlight, [WORKER_EDITION, victim.id])).rows[0]!.n).toBe(ambiguous.size); // all the victim's
    expect(counts.accepted).toBe(COUNT - ambiguous.size);

    const received = new Map<string, number>();
    for (const message of sink.messages) received.set(message.to[0]!, (received.get(message.to[0]!) ?? 0) + 1);
    const rows = await ledger.list(WORKER_EDITION);
    for (const row of rows) {
      const got = received.get(row.email!) ?? 0;
      if (ambiguous.has(row.subscriberId)) expect(got).toBeLessThanOrEqual(1);
      else expect([row.email, row.status, got]).toEqual([row.email, 'accepted', 1]);
    }
    // Nobody got anything twice, and nobody outside the list got anything.
    expect(Math.max(...received.values())).toBe(1);
    expect(received.size).toBeLessThanOrEqual(COUNT);

    // The survivors sent the victim's leased rows once its lease ran out, and reused the stored segments.
    expect(summaries.reduce((sum, s) => sum + s.accepted, 0)).toBeGreaterThan(0);
    const stored = await db.query<{ n: number }>(
      'SELECT COUNT(*)::int AS n FROM edition_segments WHERE edition_id = $1',
      [WORKER_EDITION],
    );
    expect(stored.rows[0]!.n).toBe(SEGMENTS);
    for (const summary of summaries) expect(summary.segmentsRendered + summary.segmentsReused).toBe(SEGMENTS);
    expect(await db.query('SELECT 1 FROM delivery_workers WHERE worker_id <> $1', [victim.id])).toMatchObject({
      rowCount: 0,
    });
  }, 300_000);
});
