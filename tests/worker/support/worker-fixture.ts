import os from 'node:os';
import { systemClock } from '../../../src/core/clock.ts';
import { createSilentLogger } from '../../../src/core/logger.ts';
import { createSegmentMessageBuilder } from '../../../src/delivery/segment-message-builder.ts';
import { SmtpTransport } from '../../../src/delivery/smtp-transport.ts';
import { createSubscriberLinks } from '../../../src/delivery/subscriber-token.ts';
import type { PgDatabase } from '../../../src/store/postgres/pg-database.ts';
import { PgLedger } from '../../../src/store/postgres/pg-ledger.ts';
import { PgSubscriberStore } from '../../../src/store/postgres/pg-subscriber-store.ts';
import { PgWorkQueue } from '../../../src/store/postgres/pg-work-queue.ts';
import type { Recipient } from '../../../src/subscribers/subscriber-store.ts';
import { recipientsOfBatch } from '../../../src/worker/batch-recipients.ts';
import { runWorker, type EditionWork, type WorkerSummary } from '../../../src/worker/run-worker.ts';
import { renderStandIn, SECRET } from '../../delivery/support/engine-fixture.ts';
import { seedSubscribers, staged } from '../../store/contract/seed.ts';

export const WORKER_EDITION = 'morning/2026-11-28T07:00:00+01:00';
export const SEGMENTS = 3;

/** The edition as the composition root would prepare it; the stand-in renderer keeps the test about coordination. */
export function standInEditionWork(db: PgDatabase): EditionWork<Recipient> {
  const subscribers = new PgSubscriberStore(db);
  return {
    recipients: recipientsOfBatch(subscribers, { newsletterId: 'morning' }, systemClock.now()),
    plan: async (recipient) => {
      const segmentKey = `seg-${recipient.id % SEGMENTS}`;
      return { segmentKey, articleIds: [`a-${segmentKey}`], render: async () => renderStandIn(segmentKey) };
    },
    composeMessage: createSegmentMessageBuilder({
      from: 'Morning Digest <news@digest.example.test>',
      newsletterId: 'morning',
      newsletterTitle: 'Morning Digest',
      clock: systemClock,
    }),
    links: createSubscriberLinks({
      baseUrl: 'https://news.example.test',
      secret: SECRET,
      newsletterId: 'morning',
      editionId: WORKER_EDITION,
    }),
  };
}

/** Subscribers reader1…readerN of `morning`, and the edition enqueued for all of them (what `tidings send` does on PostgreSQL). */
export async function enqueueEdition(db: PgDatabase, count: number): Promise<number[]> {
  const subscribers = new PgSubscriberStore(db);
  const session = await subscribers.beginSync();
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++)
      rows.push(staged(`reader${i + 1}@example.test`, { morning: null }, { name: `Reader ${i + 1}`, line: i + 2 }));
    await session.stage(rows);
  }
  await session.apply(new Date('2026-11-01T00:00:00Z'), { removeMissing: false });
  const ids = (await subscribers.list({ newsletterId: 'morning' })).map((s) => s.id);
  await new PgLedger(db).ensurePending(WORKER_EDITION, ids);
  return ids;
}

export { seedSubscribers };

export interface WorkerRun {
  workerId: string;
  smtpUrl: string;
  concurrency: number;
  leaseMs: number;
  batchSize: number;
  rateLimit?: number | null;
  signal?: AbortSignal;
}

/** One worker on a PostgreSQL store until the queue is empty, sending through a real SMTP connection pool. */
export async function runStandInWorker(db: PgDatabase, run: WorkerRun): Promise<WorkerSummary> {
  const transport = new SmtpTransport({
    url: run.smtpUrl,
    maxConnections: run.concurrency,
    maxMessages: 1000,
    rateLimit: 100_000,
    tls: { rejectUnauthorized: false },
    connectionTimeoutMs: 5000,
    greetingTimeoutMs: 5000,
    socketTimeoutMs: 5000,
  });
  const work = standInEditionWork(db);
  return runWorker(
    {
      queue: new PgWorkQueue(db),
      ledger: new PgLedger(db),
      transport,
      clock: systemClock,
      logger: createSilentLogger(),
      prepareEdition: async (editionId) => (editionId === WORKER_EDITION ? work : null),
    },
    {
      worker: { workerId: run.workerId, host: os.hostname(), pid: process.pid },
      batchSize: run.batchSize,
      leaseMs: run.leaseMs,
      concurrency: run.concurrency,
      rateLimit: run.rateLimit ?? null,
      delivery: { maxAttempts: 3, backoffInitial: 10, backoffMax: 100, maxConsecutiveFailures: 50 },
      idleMs: 100,
      exitWhenIdle: true,
      signal: run.signal,
    },
  );
}
