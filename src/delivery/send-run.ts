import { abortableSleep } from '../core/abortable-sleep.ts';
import { describeError } from '../core/errors.ts';
import type { RenderedSegment } from '../render/render-types.ts';
import type { DeliveryRow } from './ledger.ts';
import { OutcomeRecorder, type OutcomeEntry, type RecordedOutcome } from './outcome-recorder.ts';
import { SegmentCache } from './segment-cache.ts';
import type { DeliveryRecipient, SendEditionDeps, SendEditionOptions, SendResult } from './send-types.ts';
import type { TransportError } from './transport-error.ts';

/** A result with nothing done yet. */
function emptyResult(editionId: string, dryRun: boolean, journalLocation: string | null): SendResult {
  return {
    editionId,
    dryRun,
    accepted: 0,
    failed: 0,
    skipped: 0,
    skippedReaders: [],
    alreadyDone: 0,
    wouldSend: 0,
    requeuedFailures: 0,
    ambiguousResent: 0,
    ambiguous: [],
    ambiguousThisRun: 0,
    journaled: 0,
    journalLocation,
    fatal: null,
    segmentsRendered: 0,
    paused: false,
    pauseReason: null,
    stopped: false,
    limitReached: false,
    elapsedMs: 0,
    rate: 0,
  };
}

/**
 * The state one run of sendEdition shares between its concurrent workers: the result
 * being counted, the halt signal (the caller's stop or a pause), the segment cache, the
 * claims reserved against `--limit` and the rows this run left ambiguous. The steps that
 * read and change it are in send-edition.ts and send-recipient.ts.
 */
export class SendRun<R extends DeliveryRecipient> {
  readonly result: SendResult;
  readonly dryRun: boolean;
  /** Aborted by the caller's signal or by a pause: either way, stop claiming and wake sleepers. */
  readonly halt = new AbortController();
  readonly segments: SegmentCache<RenderedSegment>;
  readonly recorder: OutcomeRecorder;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
  /** Known here even when the store can no longer be read: the rows this run left ambiguous. */
  readonly leftAmbiguous = new Map<number, DeliveryRow>();
  claimsReserved = 0;
  private consecutiveFailures = 0;
  private readonly started: number;
  private readonly onAbort = () => this.halt.abort();

  constructor(
    readonly deps: SendEditionDeps<R>,
    readonly options: SendEditionOptions,
  ) {
    this.dryRun = options.dryRun ?? false;
    this.sleep = deps.sleep ?? abortableSleep;
    this.random = deps.random ?? Math.random;
    this.started = deps.clock.now().getTime();
    this.result = emptyResult(options.editionId, this.dryRun, deps.journal?.location ?? null);
    this.segments = new SegmentCache<RenderedSegment>(options.segmentCacheSize ?? 64);
    this.recorder = new OutcomeRecorder({
      editionId: options.editionId,
      journal: deps.journal,
      logger: deps.logger,
      now: () => deps.clock.now(),
      sleep: this.sleep,
    });
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.halt.abort();
  }

  get editionId(): string {
    return this.options.editionId;
  }

  get stopping(): boolean {
    return this.halt.signal.aborted;
  }

  get limitReached(): boolean {
    return this.options.limit !== undefined && this.claimsReserved >= this.options.limit;
  }

  /** Stops listening to the caller's signal (the run is over). */
  detach(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  pause(reason: string): void {
    if (this.result.paused) return;
    this.result.paused = true;
    this.result.pauseReason = reason;
    this.deps.logger.warn({ editionId: this.editionId, reason }, 'sending paused');
    this.halt.abort();
  }

  /** Counts one failure in a row; too many in a row pause the run (the server looks down). */
  noteFailure(error: TransportError): void {
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.options.delivery.maxConsecutiveFailures) {
      this.pause(
        `${this.consecutiveFailures} failures in a row (the server looks unavailable; last: ${error.message})`,
      );
    }
  }

  noteAccepted(): void {
    this.consecutiveFailures = 0;
  }

  noteAmbiguous(recipient: R, code: string, text: string, attempts: number): void {
    this.leftAmbiguous.set(recipient.id, {
      editionId: this.editionId,
      subscriberId: recipient.id,
      email: recipient.email,
      status: 'sending',
      segment: null,
      attempts,
      claimedAt: null,
      finishedAt: this.deps.clock.now().toISOString(),
      messageId: null,
      response: text,
      errorCode: code,
      reason: null,
      retryable: false,
    });
  }

  /** Records through the recorder; an outcome that reached only the journal, or nowhere, ends the run. */
  async recordOutcome(
    recipient: R,
    entry: OutcomeEntry,
    write: () => Promise<unknown>,
    attempts: number,
  ): Promise<RecordedOutcome> {
    const stored = await this.recorder.record(recipient.id, entry, write);
    if (stored.where === 'journal') this.result.journaled++;
    if (stored.where === 'nowhere') this.noteAmbiguous(recipient, 'STORE_FAILED', stored.reason, attempts);
    return stored;
  }

  /** Updates the elapsed time and rate, and tells the caller's progress display. */
  report(): void {
    const { result } = this;
    const elapsedMs = Math.max(1, this.deps.clock.now().getTime() - this.started);
    result.elapsedMs = elapsedMs;
    result.rate = (result.accepted / elapsedMs) * 1000;
    this.deps.onProgress?.({
      accepted: result.accepted,
      failed: result.failed,
      skipped: result.skipped,
      alreadyDone: result.alreadyDone,
      handled: result.accepted + result.failed + result.skipped + result.alreadyDone + result.wouldSend,
      total: this.options.total,
      rate: result.rate,
      elapsedMs,
    });
  }

  /** Logs why one outcome could not be noted, when losing it costs only the reason. */
  warnUnnoted(recipient: R, error: unknown): void {
    this.deps.logger.warn(
      { editionId: this.editionId, subscriberId: recipient.id },
      `cannot note the ambiguous outcome: ${describeError(error)}`,
    );
  }
}
