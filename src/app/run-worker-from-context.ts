import { audienceOf } from './audience-of.ts';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { UsageError } from '../core/errors.ts';
import type { MailTransport } from '../delivery/mail-transport.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import type { Recipient } from '../subscribers/subscriber-store.ts';
import { recipientsOfBatch } from '../worker/batch-recipients.ts';
import { isLocalProcessGone } from '../core/process-liveness.ts';
import { runWorker, type EditionWork, type WorkerSummary } from '../worker/run-worker.ts';
import { openOutcomeJournal } from './apply-pending-outcomes.ts';
import { completeEditionIfFinal } from './complete-edition.ts';
import { claimAheadLanes } from './claim-ahead.ts';
import { createQueueFinisher } from './finish-queuing.ts';
import type { AppContext } from './context.ts';
import { checkTemplates, EditionPipeline, findNewsletter, requireSecret } from './edition-pipeline.ts';
import { editionSendHooks } from './edition-send-hooks.ts';

export interface WorkerCommandOptions {
  newsletterId?: string;
  /** Rows in flight at once in this worker (and so at most ambiguous after a kill); default twice transport.maxConnections. */
  concurrency?: number;
  /** Return when no edition has pending deliveries. */
  untilIdle?: boolean;
  signal?: AbortSignal;
}

/**
 * `tidings worker` over the composition root: the same edition pipeline, message builder
 * and hooks as `tidings send` (src/app/run-send.ts), fed by leased batches instead of the
 * whole list. Needs a store with a work queue (PostgreSQL).
 */
export async function runWorkerFromContext(ctx: AppContext, options: WorkerCommandOptions): Promise<WorkerSummary> {
  const queue = ctx.store.workQueue;
  if (!queue)
    throw new UsageError(
      'tidings worker needs a PostgreSQL store (store.url: postgres://…); with SQLite, tidings send is the one sending process',
    );
  if (options.newsletterId) findNewsletter(ctx, options.newsletterId);
  const secret = requireSecret(ctx);
  const transportConfig = ctx.config.transport;
  const maxConnections = transportConfig.type === 'smtp' ? transportConfig.maxConnections : 4;
  const host = os.hostname();
  const workerId = `${host} pid ${process.pid} worker ${randomUUID().slice(0, 8)}`;
  // Templates loaded (and the renderer's modules) before the worker joins: a daemon is warm
  // when the first edition arrives, and a broken template stops it at start.
  await checkTemplates(
    ctx,
    ctx.config.newsletters.filter((n) => !options.newsletterId || n.id === options.newsletterId),
  );
  const transport = createMailTransport(transportConfig, ctx.baseDir, {
    clock: ctx.clock,
    logger: ctx.logger,
    abortSignal: ctx.shutdown.expired,
  });
  return runWorker<Recipient>(
    {
      queue,
      ledger: ctx.store.ledger,
      transport,
      clock: ctx.clock,
      logger: ctx.logger,
      journal: openOutcomeJournal(ctx),
      prepareEdition: (editionId) => prepareEdition(ctx, editionId, secret, transport),
      isWorkerGone: (worker) => isLocalProcessGone(worker.host, worker.pid),
      // The same rule as `tidings send`: every reader of the audience queued, every row final.
      onEditionDrained: async (editionId) => void (await completeEditionIfFinal(ctx.store, editionId, ctx.clock.now())),
      finishQueuing: createQueueFinisher(ctx, { newsletterId: options.newsletterId, workerId }),
    },
    {
      worker: { workerId, host, pid: process.pid },
      newsletterId: options.newsletterId,
      batchSize: ctx.config.worker.batchSize,
      leaseMs: ctx.config.worker.leaseTtl,
      concurrency: options.concurrency ?? claimAheadLanes(maxConnections),
      rateLimit: transportConfig.type === 'smtp' ? transportConfig.rateLimit : null,
      delivery: ctx.config.delivery,
      idleMs: ctx.config.worker.idleWait,
      exitWhenIdle: options.untilIdle,
      signal: options.signal,
    },
  );
}

/** The edition as `tidings send` built it; null (its rows wait) when it is unknown, skipped or awaiting approval. */
async function prepareEdition(
  ctx: AppContext,
  editionId: string,
  secret: string,
  transport: MailTransport,
): Promise<EditionWork<Recipient> | null> {
  // The queued row's edition id names the stored edition: loaded as it is, never rebuilt from its wall time.
  const stored = await ctx.store.editions.getEdition(editionId);
  const newsletter = stored && ctx.config.newsletters.find((n) => n.id === stored.newsletterId);
  if (!stored || !newsletter) return null;
  if (stored.status === 'skipped' || (newsletter.requireApproval && stored.status === 'draft')) return null;
  const pipeline = await EditionPipeline.of(ctx, stored);
  return {
    recipients: recipientsOfBatch(
      ctx.store.subscribers,
      audienceOf(newsletter, new Date(stored.slot)),
      ctx.clock.now(),
    ),
    ...editionSendHooks(ctx, pipeline, secret, transport),
  };
}
