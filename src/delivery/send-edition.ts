import { abortableSleep } from '../core/abortable-sleep.ts';
import { describeError, isTidingsError } from '../core/errors.ts';
import type { RenderedSegment } from '../render/render-types.ts';
import type { DeliveryRow } from './ledger.ts';
import type { OutgoingMessage, SendReceipt } from './mail-transport.ts';
import { describeFatal, OutcomeRecorder, type OutcomeEntry, type RecordedOutcome } from './outcome-recorder.ts';
import { RecipientFeed } from './recipient-feed.ts';
import { SegmentCache } from './segment-cache.ts';
import {
  SKIPPED_READERS_KEPT,
  type DeliveryRecipient,
  type SendEditionDeps,
  type SendEditionOptions,
  type SendResult,
} from './send-types.ts';
import { classifySmtpError, TransportError } from './transport-error.ts';

/** Exponential backoff with equal jitter: half the delay fixed, half random. */
export function computeBackoff(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const delay = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay / 2 + (delay / 2) * random);
}

/**
 * Sends one edition to a stream of recipients, exactly once per subscriber as far as
 * SMTP allows: each row is claimed in the ledger before the SMTP call and recorded
 * after it. `maxConnections` workers share the stream, so at most that many rows are
 * ever `sending`; a crash leaves at most that many ambiguous rows.
 */
export async function sendEdition<R extends DeliveryRecipient>(
  deps: SendEditionDeps<R>,
  options: SendEditionOptions,
): Promise<SendResult> {
  const { ledger, transport, clock, logger } = deps;
  const { editionId, delivery } = options;
  const dryRun = options.dryRun ?? false;
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const started = clock.now().getTime();
  // Aborted by the caller's signal or by a pause: either way, stop claiming and wake sleepers.
  const halt = new AbortController();
  const onAbort = () => halt.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) halt.abort();

  const result: SendResult = {
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
    journalLocation: deps.journal?.location ?? null,
    fatal: null,
    segmentsRendered: 0,
    paused: false,
    pauseReason: null,
    stopped: false,
    limitReached: false,
    elapsedMs: 0,
    rate: 0,
  };
  // Known here even when the store can no longer be read: the rows this run left ambiguous.
  const leftAmbiguous = new Map<number, DeliveryRow>();
  let consecutiveFailures = 0;
  let claimsReserved = 0;
  const segments = new SegmentCache<RenderedSegment>(options.segmentCacheSize ?? 64);

  if (!dryRun) {
    if (options.resendAmbiguous) result.ambiguousResent = await ledger.resetAmbiguous(editionId, clock.now());
    result.requeuedFailures = await ledger.releaseRetryableFailures(editionId);
  }
  const feed = new RecipientFeed(deps.recipients, options.batchSize ?? 256, async (batch) => {
    if (!dryRun && !options.queued)
      await ledger.ensurePending(
        editionId,
        batch.map((r) => r.id),
      );
    await deps.preparePage?.(batch);
  });

  const stopping = () => halt.signal.aborted;
  const pause = (reason: string) => {
    if (result.paused) return;
    result.paused = true;
    result.pauseReason = reason;
    logger.warn({ editionId, reason }, 'sending paused');
    halt.abort();
  };
  const report = () => {
    const elapsedMs = Math.max(1, clock.now().getTime() - started);
    result.elapsedMs = elapsedMs;
    result.rate = (result.accepted / elapsedMs) * 1000;
    deps.onProgress?.({
      accepted: result.accepted,
      failed: result.failed,
      skipped: result.skipped,
      alreadyDone: result.alreadyDone,
      handled: result.accepted + result.failed + result.skipped + result.alreadyDone + result.wouldSend,
      total: options.total,
      rate: result.rate,
      elapsedMs,
    });
  };

  const noteFailure = (error: TransportError) => {
    consecutiveFailures++;
    if (consecutiveFailures >= delivery.maxConsecutiveFailures) {
      pause(`${consecutiveFailures} failures in a row (the server looks unavailable; last: ${error.message})`);
    }
  };

  const noteAmbiguous = (recipient: R, code: string, text: string, attempts: number) => {
    leftAmbiguous.set(recipient.id, {
      editionId,
      subscriberId: recipient.id,
      email: recipient.email,
      status: 'sending',
      segment: null,
      attempts,
      claimedAt: null,
      finishedAt: clock.now().toISOString(),
      messageId: null,
      response: text,
      errorCode: code,
      reason: null,
      retryable: false,
    });
  };

  const recorder = new OutcomeRecorder({ editionId, journal: deps.journal, logger, now: () => clock.now(), sleep });
  /** Records through the recorder; an outcome that reached only the journal, or nowhere, ends the run. */
  async function recordOutcome(
    recipient: R,
    entry: OutcomeEntry,
    write: () => Promise<unknown>,
    attempts: number,
  ): Promise<RecordedOutcome> {
    const stored = await recorder.record(recipient.id, entry, write);
    if (stored.where === 'journal') result.journaled++;
    if (stored.where === 'nowhere') noteAmbiguous(recipient, 'STORE_FAILED', stored.reason, attempts);
    return stored;
  }

  async function deliver(
    recipient: R,
    message: OutgoingMessage,
    segmentKey: string,
    articleIds: string[],
  ): Promise<void> {
    let attempts = 0;
    let throttles = 0;
    for (;;) {
      attempts++;
      let receipt: SendReceipt;
      try {
        receipt = await transport.send(message);
      } catch (thrown) {
        const error = thrown instanceof TransportError ? thrown : classifySmtpError(thrown);
        if (error.code === 'TRANSPORT_AMBIGUOUS') return leaveAmbiguous(recipient, error, attempts);
        const throttled = error.code === 'TRANSPORT_THROTTLED' && throttles < (options.maxThrottleRetries ?? 10);
        if (throttled) {
          // Throttling is the server's pace, not a fault: slow down without spending an attempt.
          throttles++;
          attempts--;
          transport.slowDown?.();
        } else {
          noteFailure(error);
        }
        logger.debug({ editionId, subscriberId: recipient.id, code: error.code, attempts }, error.message);
        if (error.code === 'TRANSPORT_PERMANENT' || attempts >= delivery.maxAttempts) {
          const at = clock.now();
          const record = {
            code: error.code,
            text: error.response,
            retryable: error.code !== 'TRANSPORT_PERMANENT',
            attempts,
          };
          const stored = await recordOutcome(
            recipient,
            { kind: 'failed', record },
            () => ledger.recordFailed(editionId, recipient.id, at, record),
            attempts,
          );
          result.failed++;
          if (stored.where !== 'ledger') throw stored.error;
          if (error.recipientRejected) await deps.onPermanentRejection?.(recipient, error);
          return;
        }
        if (!stopping())
          await sleep(
            computeBackoff(attempts + throttles, delivery.backoffInitial, delivery.backoffMax, random()),
            halt.signal,
          );
        if (stopping()) {
          // The server answered "not now": nothing was accepted, so the row may go back to the queue.
          await ledger.releaseForRetry(editionId, recipient.id);
          return;
        }
        continue;
      }
      // Accepted. Nothing below may lead to a second send: a failing store ends the run instead.
      consecutiveFailures = 0;
      const at = clock.now();
      const record = { messageId: receipt.messageId, response: receipt.response, segment: segmentKey, articleIds };
      const stored = await recordOutcome(
        recipient,
        { kind: 'accepted', record },
        () => ledger.recordAccepted(editionId, recipient.id, at, record),
        attempts,
      );
      if (stored.where !== 'nowhere') result.accepted++;
      if (stored.where !== 'ledger') throw stored.error;
      await deps.onAccepted?.(recipient);
      return;
    }
  }

  /** The server may have the message: never retried; the row stays `sending`, reported as ambiguous. */
  async function leaveAmbiguous(recipient: R, error: TransportError, attempts: number): Promise<void> {
    noteFailure(error);
    result.ambiguousThisRun++;
    noteAmbiguous(recipient, error.code, error.message, attempts);
    logger.warn({ editionId, subscriberId: recipient.id, code: error.code }, error.message);
    try {
      await ledger.recordAmbiguous(editionId, recipient.id, clock.now(), {
        code: error.code,
        text: error.message,
        attempts,
      });
    } catch (noteError) {
      // Only the reason is lost: the row is `sending` already, which is what makes it ambiguous.
      logger.warn(
        { editionId, subscriberId: recipient.id },
        `cannot note the ambiguous outcome: ${describeError(noteError)}`,
      );
    }
  }

  async function handle(recipient: R): Promise<'continue' | 'stop'> {
    const plan = await deps.plan(recipient);
    if ('skip' in plan) {
      // A subscriber an earlier run already sent to now plans as "seen it all": not a skip.
      if (dryRun || (await ledger.recordSkipped(editionId, recipient.id, clock.now(), plan.skip))) {
        result.skipped++;
        if (result.skippedReaders.length < SKIPPED_READERS_KEPT)
          result.skippedReaders.push({ subscriberId: recipient.id, email: recipient.email, reason: plan.skip });
      } else result.alreadyDone++;
      return 'continue';
    }
    if (stopping()) return 'stop'; // paused or stopped while planning: leave the row pending
    if (limitReached()) {
      result.limitReached = true;
      return 'stop';
    }
    claimsReserved++;
    if (!dryRun) {
      const claim = await ledger.claim(editionId, recipient.id, clock.now());
      if (!claim.claimed) {
        // Lost to another worker or run, or the reader left after the audience was read.
        claimsReserved--;
        if (claim.skipped) result.skipped++;
        else result.alreadyDone++;
        return 'continue';
      }
    }
    let message: OutgoingMessage;
    try {
      const segment = await segments.get(plan.segmentKey, plan.render);
      const urls = deps.links(recipient.id);
      const tokens = {
        name: recipient.name ?? '',
        first_name: recipient.firstName ?? '',
        email: recipient.email,
        unsubscribe_url: urls.unsubscribeUrl,
        preferences_url: urls.preferencesUrl,
        view_url: urls.viewUrl,
      };
      message = deps.composeMessage({ editionId, recipient, segment, tokens, urls });
    } catch (error) {
      // A bad address or a failed render is this recipient's problem: recorded, not thrown.
      const code = isTidingsError(error) ? error.code : 'RENDER_FAILED';
      logger.warn({ editionId, subscriberId: recipient.id, code }, describeError(error));
      if (dryRun) throw error;
      const at = clock.now();
      const record = { code, text: describeError(error), retryable: false, attempts: 0 };
      const stored = await recordOutcome(
        recipient,
        { kind: 'failed', record },
        () => ledger.recordFailed(editionId, recipient.id, at, record),
        0,
      );
      result.failed++;
      if (stored.where !== 'ledger') throw stored.error;
      return 'continue';
    }
    if (dryRun) result.wouldSend++;
    else await deliver(recipient, message, plan.segmentKey, plan.articleIds);
    return 'continue';
  }

  const limitReached = () => options.limit !== undefined && claimsReserved >= options.limit;

  async function worker(): Promise<void> {
    while (!stopping()) {
      // At the limit, read (and so queue) no further: the rest stays visibly not queued.
      if (limitReached()) {
        result.limitReached = true;
        return;
      }
      const recipient = await feed.next();
      if (!recipient || stopping()) return;
      const outcome = await handle(recipient);
      report();
      if (outcome === 'stop') return;
    }
  }

  logger.info({ editionId, dryRun, maxConnections: options.maxConnections }, 'sending edition');
  try {
    // allSettled, not all: when one worker fails, the others still finish and record what is in flight.
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.max(1, options.maxConnections) }, () =>
        worker().catch((error: unknown) => {
          halt.abort();
          throw error;
        }),
      ),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    // A dry run has nothing in flight: its errors are the caller's. A real run reports what it did.
    if (failure && dryRun) throw failure.reason;
    if (failure) {
      result.fatal = describeFatal(failure.reason);
      logger.error({ editionId, code: result.fatal.code }, `sending stopped: ${result.fatal.message}`);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await feed.close().catch(() => {});
  }
  result.stopped = Boolean(options.signal?.aborted) && !result.paused;
  result.segmentsRendered = segments.rendered;
  if (!dryRun) {
    try {
      // Rows live workers have in flight are theirs, not ambiguous (PostgreSQL).
      const rows = await ledger.listAmbiguous(editionId, clock.now());
      result.ambiguous = rows.filter((row) => !recorder.journaledIds.has(row.subscriberId));
    } catch (error) {
      // The store cannot even be read: report what this run knows it left ambiguous.
      result.ambiguous = [...leftAmbiguous.values()];
      result.fatal ??= describeFatal(error);
    }
  }
  report();
  logger.info(
    { editionId, accepted: result.accepted, failed: result.failed, skipped: result.skipped, paused: result.paused },
    'edition run finished',
  );
  return result;
}
