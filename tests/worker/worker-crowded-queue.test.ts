import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { PgLedger } from '../../src/store/postgres/pg-ledger.ts';
import { PgWorkQueue } from '../../src/store/postgres/pg-work-queue.ts';
import { runWorker } from '../../src/worker/run-worker.ts';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { openMigratedTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';
import { enqueueEdition, standInEditionWork, WORKER_EDITION } from './support/worker-fixture.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe.skipIf(!PG_TEST_URL)('a worker whose queue is held by another', () => {
  it('sends the rows another worker hands back without waiting out its idle wait', async () => {
    const { db } = await openMigratedTestDatabase('tidings_worker_crowded', cleanups);
    await enqueueEdition(db, 30);
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const queue = new PgWorkQueue(db);
    // Another live worker leased every row.
    const other = { workerId: 'other', host: 'elsewhere', pid: 1 };
    await queue.heartbeat(other, new Date(), 600_000);
    expect(await queue.claimBatch(WORKER_EDITION, other.workerId, 100, 600_000, new Date())).toHaveLength(30);

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
    const run = runWorker(
      {
        queue,
        ledger: new PgLedger(db),
        transport,
        clock: systemClock,
        logger: createSilentLogger(),
        prepareEdition: async (id) => (id === WORKER_EDITION ? work : null),
      },
      {
        worker: { workerId: 'me', host: os.hostname(), pid: process.pid },
        batchSize: 10,
        leaseMs: 60_000,
        concurrency: 2,
        rateLimit: null,
        // Far longer than the test's timeout: the rows must be seen without waiting this out.
        idleMs: 600_000,
        exitWhenIdle: true,
        delivery: { maxAttempts: 2, backoffInitial: 10, backoffMax: 20, maxConsecutiveFailures: 50 },
      },
    );
    // Once the worker has looked and found every row held, the other hands its batch back.
    for (let tries = 0; (await queue.workers()).length < 2; tries++) {
      expect(tries).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await queue.releaseLeases(other.workerId)).toBe(30);

    expect(await run).toMatchObject({ accepted: 30 });
    expect(sink.messages).toHaveLength(30);
  }, 60_000);
});
