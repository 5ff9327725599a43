import { abortableSleep } from '../core/abortable-sleep.ts';
import type { Clock } from '../core/clock.ts';
import { describeError, TidingsError, type ErrorCode } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { DeliveryCounts, Ledger } from '../delivery/ledger.ts';
import type { MailTransport } from '../delivery/mail-transport.ts';
import type { OutcomeJournal } from '../delivery/outcome-journal.ts';
import { sendEdition } from '../delivery/send-edition.ts';
import type { DeliveryRecipient, SendEditionDeps, SendEditionOptions } from '../delivery/send-types.ts';
import type { WorkerInfo, WorkQueue } from '../delivery/work-queue.ts';
import { leasedLedger } from './leased-ledger.ts';
import { RateShareTransport } from './rate-share.ts';
import { SharedSegments, withSharedRenders } from './shared-segments.ts';

/** What sending one edition takes, prepared once per edition by the composition root. */
export interface EditionWork<R extends DeliveryRecipient> {
  /** Those of these subscribers (ascending ids) who still get the edition; the others' rows are skipped. */
  recipients(ids: readonly number[]): Promise<R[]>;
  plan: SendEditionDeps<R>['plan'];
  preparePage?: SendEditionDeps<R>['preparePage'];
  composeMessage: SendEditionDeps<R>['composeMessage'];
  links: SendEditionDeps<R>['links'];
  onPermanentRejection?: SendEditionDeps<R>['onPermanentRejection'];
  onAccepted?: SendEditionDeps<R>['onAccepted'];
}

export interface WorkerDeps<R extends DeliveryRecipient> {
  queue: WorkQueue;
  ledger: Ledger;
  /** The real transport; the worker puts its share of the rate limit in front of it. */
  transport: MailTransport;
  clock: Clock;
  logger: Logger;
  journal?: OutcomeJournal;
  /** Null when the edition must not be sent now (unknown, skipped, not approved): its rows wait. */
  prepareEdition(editionId: string): Promise<EditionWork<R> | null>;
  /** No pending row is left in the edition (after this worker's batch): e.g. mark it sent when nothing failed. */
  onEditionDrained?(editionId: string, counts: DeliveryCounts): Promise<void>;
  /** Queues readers of editions whose queuing a send left unfinished; returns how many it queued. */
  finishQueuing?(signal: AbortSignal): Promise<number>;
  /**
   * True for a worker whose process is known to be gone (same host, no such pid): its
   * leased rows are taken over at once instead of after its lease runs out.
   */
  isWorkerGone?(worker: WorkerInfo): boolean;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

export interface WorkerOptions {
  worker: WorkerInfo;
  /** Only this newsletter's editions. */
  newsletterId?: string;
  /** Rows leased per claim (worker.batchSize). */
  batchSize: number;
  /** A batch's lease, and the worker's heartbeat TTL; renewed four times per period (worker.leaseTtl). */
  leaseMs: number;
  /** Concurrent SMTP sends in this worker (--concurrency): also its most rows in flight at once. */
  concurrency: number;
  /** Messages per second across all workers (transport.rateLimit), or null for none. */
  rateLimit: number | null;
  delivery: SendEditionOptions['delivery'];
  /** Wait between looks at an empty queue (worker.idleWait). */
  idleMs: number;
  /** Return once no sendable edition has pending rows (tests, `--until-idle`), instead of waiting for more. */
  exitWhenIdle?: boolean;
  /** SIGTERM/SIGINT: finish the messages in flight, hand the rest of the batch back, leave. */
  signal?: AbortSignal;
}

export interface WorkerSummary {
  batches: number;
  accepted: number;
  failed: number;
  skipped: number;
  alreadyDone: number;
  ambiguousThisRun: number;
  segmentsRendered: number;
  segmentsReused: number;
  editions: string[];
}

interface EditionState<R extends DeliveryRecipient> {
  work: EditionWork<R>;
  segments: SharedSegments;
}

/**
 * `tidings worker`: loops over editions with queued deliveries, leases a batch, and sends
 * it through the same engine as `tidings send` (src/delivery/send-edition.ts) — the
 * engine marks each row in flight right before its SMTP call, so a SIGKILL leaves only
 * those rows ambiguous; the rest of the batch returns to the queue when the lease expires.
 */
export async function runWorker<R extends DeliveryRecipient>(
  deps: WorkerDeps<R>,
  options: WorkerOptions,
): Promise<WorkerSummary> {
  const { queue, clock, logger } = deps;
  const me = options.worker.workerId;
  const stop = options.signal ?? new AbortController().signal;
  const sleep = deps.sleep ?? abortableSleep;
  const transport = new RateShareTransport(deps.transport, options.rateLimit);
  const ledger = leasedLedger(deps.ledger, queue, me);
  const summary: WorkerSummary = {
    batches: 0,
    accepted: 0,
    failed: 0,
    skipped: 0,
    alreadyDone: 0,
    ambiguousThisRun: 0,
    segmentsRendered: 0,
    segmentsReused: 0,
    editions: [],
  };
  const editions = new Map<string, EditionState<R>>();

  const beat = async () => {
    transport.setWorkers(await queue.heartbeat(options.worker, clock.now(), options.leaseMs));
    await queue.renewLeases(me, clock.now(), options.leaseMs);
  };
  await beat();
  const timer = setInterval(
    () => {
      beat().catch((error: unknown) => logger.warn({ worker: me }, `heartbeat failed: ${describeError(error)}`));
    },
    Math.max(50, Math.floor(options.leaseMs / 4)),
  );
  timer.unref();
  logger.info({ worker: me, rate: transport.rate }, 'worker started');

  try {
    while (!stop.aborted) {
      // Rows must exist before they can be leased: queuing a stopped send left unfinished comes first.
      const queuedNow = deps.finishQueuing ? await deps.finishQueuing(stop) : 0;
      const queued = await queue.queuedEditions(options.newsletterId);
      // Editions no longer queued are done here: forget them (a worker may run for months).
      for (const editionId of editions.keys()) if (!queued.includes(editionId)) retire(editionId);
      let sendable = 0;
      let sentSomething = false;
      for (const editionId of queued) {
        if (stop.aborted) break;
        const state = await editionState(editionId);
        if (!state) continue;
        sendable++;
        const ids = await queue.claimBatch(editionId, me, options.batchSize, options.leaseMs, clock.now());
        if (ids.length === 0) continue;
        sentSomething = true;
        const paused = await sendBatch(editionId, state, ids);
        if (paused) await sleep(options.idleMs, stop);
      }
      if (sendable === 0 && queuedNow === 0 && options.exitWhenIdle) break;
      // Nothing claimable: the rest is leased by others (alive, or dead until their lease runs out).
      if (!sentSomething && queuedNow === 0 && !(sendable && (await takeOverGoneWorkers())))
        await sleep(options.idleMs, stop);
    }
  } finally {
    clearInterval(timer);
    await queue
      .leave(me)
      .catch((error: unknown) => logger.warn({ worker: me }, `cannot leave the queue: ${describeError(error)}`));
    await transport.close().catch(() => {});
  }
  for (const editionId of [...editions.keys()]) retire(editionId);
  logger.info({ worker: me, ...summary }, 'worker stopped');
  return summary;

  /** Workers whose process is gone hand their leased rows back now; true when there were any. */
  async function takeOverGoneWorkers(): Promise<boolean> {
    if (!deps.isWorkerGone) return false;
    const gone = (await queue.workers()).filter((w) => w.workerId !== me && deps.isWorkerGone!(w));
    for (const worker of gone) {
      logger.warn(
        { worker: me, gone: worker.workerId },
        'worker process is gone: its leased rows return to the queue, its in-flight rows are ambiguous',
      );
      await queue.leave(worker.workerId);
    }
    return gone.length > 0;
  }

  /** Prepared once per edition; an edition not sendable now (awaiting approval…) is asked again next round. */
  async function editionState(editionId: string): Promise<EditionState<R> | null> {
    const known = editions.get(editionId);
    if (known) return known;
    const work = await deps.prepareEdition(editionId);
    if (!work) {
      logger.debug({ worker: me, editionId }, 'edition not sendable now: its deliveries wait');
      return null;
    }
    const state = { work, segments: new SharedSegments(queue, editionId, me, clock) };
    editions.set(editionId, state);
    if (!summary.editions.includes(editionId)) summary.editions.push(editionId);
    return state;
  }

  function retire(editionId: string): void {
    const state = editions.get(editionId);
    if (!state) return;
    summary.segmentsRendered += state.segments.rendered;
    summary.segmentsReused += state.segments.reused;
    editions.delete(editionId);
  }

  /** Sends one leased batch; true when the engine paused (the server looks down). */
  async function sendBatch(editionId: string, state: EditionState<R>, ids: number[]): Promise<boolean> {
    const { work, segments } = state;
    const recipients = await work.recipients(ids);
    const kept = new Set(recipients.map((r) => r.id));
    for (const id of ids) {
      if (
        !kept.has(id) &&
        (await deps.ledger.recordSkipped(
          editionId,
          id,
          clock.now(),
          'no longer a recipient when its batch was claimed',
        ))
      )
        summary.skipped++;
    }
    const result = await sendEdition<R>(
      {
        ledger,
        transport,
        recipients: (async function* () {
          yield* recipients;
        })(),
        plan: withSharedRenders(work.plan, segments),
        preparePage: work.preparePage,
        composeMessage: work.composeMessage,
        links: work.links,
        clock,
        logger,
        journal: deps.journal,
        onPermanentRejection: work.onPermanentRejection,
        onAccepted: work.onAccepted,
      },
      {
        editionId,
        maxConnections: options.concurrency,
        delivery: options.delivery,
        signal: stop,
        batchSize: options.batchSize,
      },
    );
    summary.batches++;
    summary.accepted += result.accepted;
    summary.failed += result.failed;
    summary.skipped += result.skipped;
    summary.alreadyDone += result.alreadyDone;
    summary.ambiguousThisRun += result.ambiguousThisRun;
    // Rows of the batch never put in flight (a stop, a pause) go back to the queue now, not at lease expiry.
    await queue.releaseLeases(me, editionId);
    // The store failing mid-batch ends the worker: its outcomes are in the journal or ambiguous.
    if (result.fatal) throw new TidingsError(result.fatal.code as ErrorCode, result.fatal.message);
    if (deps.onEditionDrained) {
      const counts = await deps.ledger.counts(editionId);
      if (counts.pending === 0) await deps.onEditionDrained(editionId, counts);
    }
    return result.paused;
  }
}
