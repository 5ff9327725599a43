import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { PgLedger } from '../../src/store/postgres/pg-ledger.ts';
import { PgWorkQueue } from '../../src/store/postgres/pg-work-queue.ts';
import type { Recipient } from '../../src/subscribers/subscriber-store.ts';
import { isLocalProcessGone } from '../../src/core/process-liveness.ts';
import { runWorker, type EditionWork, type WorkerOptions } from '../../src/worker/run-worker.ts';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { openMigratedTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';
import { enqueueEdition, standInEditionWork, WORKER_EDITION } from './support/worker-fixture.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const options = (workerId: string, over: Partial<WorkerOptions> = {}): WorkerOptions => ({
  worker: { workerId, host: os.hostname(), pid: process.pid },
  batchSize: 25,
  leaseMs: 60_000,
  concurrency: 2,
  rateLimit: null,
  idleMs: 20,
  exitWhenIdle: true,
  delivery: { maxAttempts: 2, backoffInitial: 10, backoffMax: 20, maxConsecutiveFailures: 50 },
  ...over,
});

describe.skipIf(!PG_TEST_URL)('the worker loop on PostgreSQL', () => {
  it('waits for an edition that is not sendable yet, hands back its batch at once when stopped, and marks the edition drained', async () => {
    const { db } = await openMigratedTestDatabase('tidings_worker_loop', cleanups);
    await enqueueEdition(db, 120);
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const transport = () =>
      new SmtpTransport({
        url: sink.url,
        maxConnections: 2,
        maxMessages: 100,
        rateLimit: 10_000,
        tls: { rejectUnauthorized: false },
        connectionTimeoutMs: 5000,
        greetingTimeoutMs: 5000,
        socketTimeoutMs: 5000,
      });
    const queue = new PgWorkQueue(db);
    const ledger = new PgLedger(db);
    const work = standInEditionWork(db);
    let approved = false;
    const drained: string[] = [];
    const deps = (sendable: EditionWork<Recipient>) => ({
      queue,
      ledger,
      transport: transport(),
      clock: systemClock,
      logger: createSilentLogger(),
      prepareEdition: async (id: string) => (approved && id === WORKER_EDITION ? sendable : null),
      onEditionDrained: async (id: string) => void drained.push(id),
    });

    // Awaiting approval: nothing is claimed, and --until-idle returns.
    expect(await runWorker(deps(work), options('early'))).toMatchObject({ batches: 0, accepted: 0 });
    expect(await ledger.counts(WORKER_EDITION)).toMatchObject({ pending: 120 });

    // Approved. A worker stopped during its first batch hands the unsent rest back at once (no lease wait).
    approved = true;
    const stop = new AbortController();
    const stopping: EditionWork<Recipient> = {
      ...work,
      onAccepted: () => {
        stop.abort();
      },
    };
    const stopped = await runWorker(deps(stopping), options('stopped', { signal: stop.signal }));
    expect(stopped.batches).toBe(1);
    expect(stopped.accepted).toBeGreaterThanOrEqual(1);
    expect(stopped.accepted).toBeLessThanOrEqual(2); // only what was in flight when it stopped
    const leased = await db.query(`SELECT 1 FROM deliveries WHERE status = 'pending' AND lease_until IS NOT NULL`);
    expect(leased.rowCount).toBe(0);
    expect(drained).toEqual([]);

    // Two workers finish the list between them, rendering each segment once in all.
    const [a, b] = await Promise.all([runWorker(deps(work), options('a')), runWorker(deps(work), options('b'))]);
    expect(a.accepted + b.accepted + stopped.accepted).toBe(120);
    expect(await ledger.counts(WORKER_EDITION)).toMatchObject({ accepted: 120, pending: 0, sending: 0 });
    expect(sink.messages).toHaveLength(120);
    expect(stopped.segmentsRendered + a.segmentsRendered + b.segmentsRendered).toBe(3);
    expect(drained).toContain(WORKER_EDITION);
  }, 120_000);

  it('takes over at once the leased rows of a worker whose process is gone, leaving its in-flight row ambiguous', async () => {
    const { db } = await openMigratedTestDatabase('tidings_worker_gone', cleanups);
    const ids = await enqueueEdition(db, 40);
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const queue = new PgWorkQueue(db);
    const ledger = new PgLedger(db);
    // A worker of this machine that leased half the list for ten minutes, put one row in flight, and was killed.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const ghost = { workerId: `${os.hostname()} pid ${dead} worker ghost`, host: os.hostname(), pid: dead };
    await queue.heartbeat(ghost, systemClock.now(), 600_000);
    const leased = await queue.claimBatch(WORKER_EDITION, ghost.workerId, 20, 600_000, systemClock.now());
    expect(await queue.claimLeased(WORKER_EDITION, leased[0]!, ghost.workerId, systemClock.now())).toEqual({
      claimed: true,
    });
    expect(isLocalProcessGone(ghost.host, ghost.pid)).toBe(true);
    expect(isLocalProcessGone(os.hostname(), process.pid)).toBe(false);

    const transport = new SmtpTransport({
      url: sink.url,
      maxConnections: 2,
      maxMessages: 100,
      rateLimit: 10_000,
      tls: { rejectUnauthorized: false },
      connectionTimeoutMs: 5000,
      greetingTimeoutMs: 5000,
      socketTimeoutMs: 5000,
    });
    const work = standInEditionWork(db);
    const summary = await runWorker(
      {
        queue,
        ledger,
        transport,
        clock: systemClock,
        logger: createSilentLogger(),
        prepareEdition: async (id: string) => (id === WORKER_EDITION ? work : null),
        isWorkerGone: (worker) => isLocalProcessGone(worker.host, worker.pid),
      },
      options('alive'),
    );
    expect(summary.accepted).toBe(ids.length - 1);
    expect(await ledger.counts(WORKER_EDITION)).toMatchObject({ accepted: 39, pending: 0, sending: 1 });
    expect((await ledger.listAmbiguous(WORKER_EDITION)).map((row) => row.subscriberId)).toEqual([leased[0]]);
    expect(await queue.inFlight(WORKER_EDITION, systemClock.now())).toEqual([]);
    expect(await queue.workers()).toEqual([]);
    expect(new Set(sink.messages.map((m) => m.to[0])).size).toBe(39);
  }, 120_000);
});
