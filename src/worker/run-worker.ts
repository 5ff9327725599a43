import { abortableSleep } from '../core/abortable-sleep.ts';
import { describeError, TidingsError, type ErrorCode } from '../core/errors.ts';
import type { Ledger } from '../delivery/ledger.ts';
import { sendEdition } from '../delivery/send-edition.ts';
import type { DeliveryRecipient, SendResult } from '../delivery/send-types.ts';
import { leasedLedger } from './leased-ledger.ts';
import { RateShareTransport } from './rate-share.ts';
import { SharedSegments, withSharedRenders } from './shared-segments.ts';
import type { EditionWork, WorkerDeps, WorkerOptions, WorkerSummary } from './worker-types.ts';

export type { EditionWork, WorkerDeps, WorkerOptions, WorkerSummary } from './worker-types.ts';

interface EditionState<R extends DeliveryRecipient> {
  work: EditionWork<R>;
  segments: SharedSegments;
}

/**
 * Leased batches one edition's turn may chain before the loop looks at the other editions
 * and at unfinished queuing again: the engine's connections stay busy across these batches
 * (the next batch is leased while the last messages of the previous one are on their way).
 */
const BATCHES_PER_TURN = 10;

/** First wait before looking again at a queue whose rows other workers (or a send) hold. */
const FIRST_LOOK_MS = 25;

/**
 * `tidings worker`: loops over editions with queued deliveries, leases batches, and sends
 * them through the same engine as `tidings send` (src/delivery/send-edition.ts) — the
 * engine marks each row in flight right before its SMTP call, so a SIGKILL leaves only
 * those rows ambiguous; the rest of a batch returns to the queue when the lease expires.
 */
export async function runWorker<R extends DeliveryRecipient>(
  deps: WorkerDeps<R>,
  options: WorkerOptions,
): Promise<WorkerSummary> {
  return new WorkerLoop(deps, options).run();
}

class WorkerLoop<R extends DeliveryRecipient> {
  private readonly me: string;
  private readonly stop: AbortSignal;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly transport: RateShareTransport;
  private readonly ledger: Ledger;
  private readonly editions = new Map<string, EditionState<R>>();
  /** The wait before looking again at a queue whose pending rows are all leased by others. */
  private nextLookMs = FIRST_LOOK_MS;
  private readonly summary: WorkerSummary = {
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

  constructor(
    private readonly deps: WorkerDeps<R>,
    private readonly options: WorkerOptions,
  ) {
    this.me = options.worker.workerId;
    this.stop = options.signal ?? new AbortController().signal;
    this.sleep = deps.sleep ?? abortableSleep;
    this.transport = new RateShareTransport(deps.transport, options.rateLimit);
    this.ledger = leasedLedger(deps.ledger, deps.queue, this.me);
  }

  async run(): Promise<WorkerSummary> {
    const { logger } = this.deps;
    await this.beat();
    const timer = setInterval(
      () => {
        this.beat().catch((error: unknown) =>
          logger.warn({ worker: this.me }, `heartbeat failed: ${describeError(error)}`),
        );
      },
      Math.max(50, Math.floor(this.options.leaseMs / 4)),
    );
    timer.unref();
    logger.info({ worker: this.me, rate: this.transport.rate }, 'worker started');
    try {
      while (!this.stop.aborted && (await this.round()) !== 'idle-exit');
    } finally {
      clearInterval(timer);
      await this.leave();
    }
    for (const editionId of [...this.editions.keys()]) this.retire(editionId);
    logger.info({ worker: this.me, ...this.summary }, 'worker stopped');
    return this.summary;
  }

  /** Heartbeat: this worker alive (and its share of the rate), its leased rows kept. */
  private async beat(): Promise<void> {
    const { queue, clock } = this.deps;
    this.transport.setWorkers(await queue.heartbeat(this.options.worker, clock.now(), this.options.leaseMs));
    await queue.renewLeases(this.me, clock.now(), this.options.leaseMs);
  }

  private async leave(): Promise<void> {
    await this.deps.queue
      .leave(this.me)
      .catch((error: unknown) =>
        this.deps.logger.warn({ worker: this.me }, `cannot leave the queue: ${describeError(error)}`),
      );
    await this.transport.close().catch(() => {});
  }

  /** One pass over the queued editions: a turn for each sendable one; waits when nothing could be sent. */
  private async round(): Promise<'idle-exit' | 'again'> {
    const { deps, options } = this;
    // Rows must exist before they can be leased: queuing a stopped send left unfinished comes first.
    const queuedNow = deps.finishQueuing ? await deps.finishQueuing(this.stop) : 0;
    const queued = await deps.queue.queuedEditions(options.newsletterId);
    // Editions no longer queued are done here: forget them (a worker may run for months).
    for (const editionId of this.editions.keys()) if (!queued.includes(editionId)) this.retire(editionId);
    let sendable = 0;
    let sentSomething = false;
    for (const editionId of queued) {
      if (this.stop.aborted) break;
      const state = await this.editionState(editionId);
      if (!state) continue;
      sendable++;
      const turn = await this.sendTurn(editionId, state);
      sentSomething ||= turn.batches > 0;
      if (turn.paused) await this.sleep(options.idleMs, this.stop);
    }
    if (sendable === 0 && queuedNow === 0 && options.exitWhenIdle) return 'idle-exit';
    if (sentSomething || queuedNow > 0) {
      this.nextLookMs = FIRST_LOOK_MS;
      return 'again';
    }
    // Nothing claimable: the rest is leased by others (alive, or dead until their lease runs out).
    if (sendable && (await this.takeOverGoneWorkers())) return 'again';
    await this.sleep(sendable ? Math.min(this.nextLookMs, options.idleMs) : options.idleMs, this.stop);
    // Rows that others lease come back soon when they hand a batch back or a live send queues
    // more: look again soon, then less and less often, up to the idle wait.
    if (sendable) this.nextLookMs = Math.min(options.idleMs, this.nextLookMs * 2);
    return 'again';
  }

  /** Workers whose process is gone hand their leased rows back now; true when there were any. */
  private async takeOverGoneWorkers(): Promise<boolean> {
    const { isWorkerGone, queue, logger } = this.deps;
    if (!isWorkerGone) return false;
    const gone = (await queue.workers()).filter((w) => w.workerId !== this.me && isWorkerGone(w));
    for (const worker of gone) {
      logger.warn(
        { worker: this.me, gone: worker.workerId },
        'worker process is gone: its leased rows return to the queue, its in-flight rows are ambiguous',
      );
      await queue.leave(worker.workerId);
    }
    return gone.length > 0;
  }

  /** Prepared once per edition; an edition not sendable now (awaiting approval…) is asked again next round. */
  private async editionState(editionId: string): Promise<EditionState<R> | null> {
    const known = this.editions.get(editionId);
    if (known) return known;
    const work = await this.deps.prepareEdition(editionId);
    if (!work) {
      this.deps.logger.debug({ worker: this.me, editionId }, 'edition not sendable now: its deliveries wait');
      return null;
    }
    const state = { work, segments: new SharedSegments(this.deps.queue, editionId, this.me, this.deps.clock) };
    this.editions.set(editionId, state);
    if (!this.summary.editions.includes(editionId)) this.summary.editions.push(editionId);
    return state;
  }

  private retire(editionId: string): void {
    const state = this.editions.get(editionId);
    if (!state) return;
    this.summary.segmentsRendered += state.segments.rendered;
    this.summary.segmentsReused += state.segments.reused;
    this.editions.delete(editionId);
  }

  /**
   * One edition's turn: up to BATCHES_PER_TURN leased batches through one run of the
   * engine, so its connections never wait for a batch to drain before the next is leased.
   */
  private async sendTurn(editionId: string, state: EditionState<R>): Promise<{ batches: number; paused: boolean }> {
    const { deps, options } = this;
    // Nothing leased, no run of the engine (an idle worker would log one each look).
    const first = await this.leaseBatch(editionId);
    if (first.length === 0) return { batches: 0, paused: false };
    const leased = { batches: 1 };
    const result = await sendEdition<R>(
      {
        ...this.engineHooks(state),
        ledger: this.ledger,
        transport: this.transport,
        recipients: this.leasedRecipients(editionId, state.work, first, leased),
        clock: deps.clock,
        logger: deps.logger,
        journal: deps.journal,
      },
      {
        editionId,
        maxConnections: options.concurrency,
        delivery: options.delivery,
        signal: this.stop,
        batchSize: options.batchSize,
        queued: true,
      },
    );
    this.tally(result);
    // Rows of a batch never put in flight (a stop, a pause) go back to the queue now, not at lease expiry.
    await deps.queue.releaseLeases(this.me, editionId);
    // The store failing mid-batch ends the worker: its outcomes are in the journal or ambiguous.
    if (result.fatal) throw new TidingsError(result.fatal.code as ErrorCode, result.fatal.message);
    if (deps.onEditionDrained) {
      const counts = await deps.ledger.counts(editionId);
      if (counts.pending === 0) await deps.onEditionDrained(editionId, counts);
    }
    return { batches: leased.batches, paused: result.paused };
  }

  /** The edition's hooks for the engine, its renders shared with the other workers. */
  private engineHooks(state: EditionState<R>) {
    const { work, segments } = state;
    return {
      plan: withSharedRenders(work.plan, segments),
      preparePage: work.preparePage,
      composeMessage: work.composeMessage,
      links: work.links,
      onPermanentRejection: work.onPermanentRejection,
      onAccepted: work.onAccepted,
    };
  }

  /**
   * The recipients of batch after batch leased to this worker, each leased when the engine
   * asks for more (so while the previous batch's last messages are still on their way).
   * Leased readers who no longer get the edition are skipped here.
   */
  private async *leasedRecipients(
    editionId: string,
    work: EditionWork<R>,
    first: readonly number[],
    leased: { batches: number },
  ): AsyncGenerator<R> {
    let ids = first;
    for (;;) {
      const recipients = await work.recipients(ids);
      await this.skipDeparted(editionId, ids, recipients);
      yield* recipients;
      if (leased.batches >= BATCHES_PER_TURN || this.stop.aborted) return;
      ids = await this.leaseBatch(editionId);
      if (ids.length === 0) return;
      leased.batches++;
    }
  }

  private async leaseBatch(editionId: string): Promise<number[]> {
    const { batchSize, leaseMs } = this.options;
    const ids = await this.deps.queue.claimBatch(editionId, this.me, batchSize, leaseMs, this.deps.clock.now());
    if (ids.length) this.summary.batches++;
    return ids;
  }

  private async skipDeparted(editionId: string, ids: readonly number[], recipients: readonly R[]): Promise<void> {
    const kept = new Set(recipients.map((r) => r.id));
    for (const id of ids) {
      if (kept.has(id)) continue;
      const reason = 'no longer a recipient when its batch was claimed';
      if (await this.deps.ledger.recordSkipped(editionId, id, this.deps.clock.now(), reason)) this.summary.skipped++;
    }
  }

  private tally(result: SendResult): void {
    const { summary } = this;
    summary.accepted += result.accepted;
    summary.failed += result.failed;
    summary.skipped += result.skipped;
    summary.alreadyDone += result.alreadyDone;
    summary.ambiguousThisRun += result.ambiguousThisRun;
  }
}
