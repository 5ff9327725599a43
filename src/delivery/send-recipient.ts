import { describeError, isTidingsError } from '../core/errors.ts';
import { personalTokens } from '../render/personalize.ts';
import type { OutgoingMessage, SendReceipt } from './mail-transport.ts';
import { computeBackoff } from './send-backoff.ts';
import type { SendRun } from './send-run.ts';
import { SKIPPED_READERS_KEPT, type DeliveryPlan, type DeliveryRecipient } from './send-types.ts';
import { classifySmtpError, TransportError } from './transport-error.ts';

type Planned = Exclude<DeliveryPlan, { skip: string }>;

/**
 * One worker of a run. With a ledger that commits in order, an accepted outcome is not
 * awaited at once: it is settled when the worker's next claim has been queued, so the two
 * share one commit (the outcome first, so the row count `sending` never grows), or when
 * the worker ends. Anything that throws then ends the run as before.
 */
export interface Lane {
  unsettled: Promise<void> | null;
}

/** Waits for the lane's last outcome to be recorded; throws what recording it threw. */
export async function settle(lane: Lane): Promise<void> {
  const unsettled = lane.unsettled;
  lane.unsettled = null;
  await unsettled;
}

/**
 * One recipient, start to end: plan, claim the row, build the message, hand it to the
 * transport and record what the server said. 'stop' when the run is halted or at its
 * limit before this recipient was claimed (the row stays pending).
 */
export async function handleRecipient<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  lane: Lane,
): Promise<'continue' | 'stop'> {
  const plan = await run.deps.plan(recipient);
  if ('skip' in plan) {
    await recordSkip(run, recipient, plan.skip);
    return 'continue';
  }
  if (run.stopping) return 'stop'; // paused or stopped while planning: leave the row pending
  if (run.limitReached) {
    run.result.limitReached = true;
    return 'stop';
  }
  const claimed = await claimRow(run, recipient, lane);
  if (claimed !== 'claimed') return claimed === 'halted' ? 'stop' : 'continue';
  const message = await composeMessage(run, recipient, plan);
  if (!message) return 'continue';
  if (run.dryRun) run.result.wouldSend++;
  else await deliver(run, recipient, message, plan, lane);
  return 'continue';
}

/** A subscriber an earlier run already sent to now plans as "seen it all": not a skip. */
async function recordSkip<R extends DeliveryRecipient>(run: SendRun<R>, recipient: R, reason: string): Promise<void> {
  const { result } = run;
  const recorded =
    run.dryRun || (await run.deps.ledger.recordSkipped(run.editionId, recipient.id, run.deps.clock.now(), reason));
  if (!recorded) {
    result.alreadyDone++;
    return;
  }
  result.skipped++;
  if (result.skippedReaders.length < SKIPPED_READERS_KEPT)
    result.skippedReaders.push({ subscriberId: recipient.id, email: recipient.email, reason });
}

/**
 * Reserves a claim against the limit and claims the row: 'lost' when another run or
 * worker has it, 'halted' when the run stopped while the claim was committing (the row
 * goes back to pending: nothing was sent).
 */
async function claimRow<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  lane: Lane,
): Promise<'claimed' | 'lost' | 'halted'> {
  run.claimsReserved++;
  if (run.dryRun) return 'claimed';
  const { ledger } = run.deps;
  // Queued before the last outcome is awaited: both go in one commit (group-commit.ts).
  const claiming = ledger.claim(run.editionId, recipient.id, run.deps.clock.now());
  claiming.catch(() => {}); // awaited below; a rejection while the outcome settles is not unhandled
  try {
    await settle(lane);
  } catch (error) {
    // The run ends on the unrecorded outcome: the row claimed meanwhile was never sent.
    if ((await claiming.catch(() => null))?.claimed)
      await ledger.releaseForRetry(run.editionId, recipient.id).catch(() => {});
    throw error;
  }
  const claim = await claiming;
  if (claim.claimed && !run.stopping) return 'claimed';
  run.claimsReserved--;
  if (claim.claimed) {
    await ledger.releaseForRetry(run.editionId, recipient.id);
    return 'halted';
  }
  // Lost to another worker or run, or the reader left after the audience was read.
  if (claim.skipped) run.result.skipped++;
  else run.result.alreadyDone++;
  return 'lost';
}

/** The recipient's message from the segment (rendered once per segment); null when it failed and was recorded. */
async function composeMessage<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  plan: Planned,
): Promise<OutgoingMessage | null> {
  const { deps, editionId } = run;
  try {
    const segment = await run.segments.get(plan.segmentKey, plan.render);
    const urls = deps.links(recipient.id);
    const tokens = personalTokens(recipient, urls);
    return deps.composeMessage({ editionId, recipient, segment, tokens, urls });
  } catch (error) {
    // A bad address or a failed render is this recipient's problem: recorded, not thrown.
    const code = isTidingsError(error) ? error.code : 'RENDER_FAILED';
    deps.logger.warn({ editionId, subscriberId: recipient.id, code }, describeError(error));
    if (run.dryRun) throw error;
    await recordFailure(run, recipient, { code, text: describeError(error), retryable: false, attempts: 0 });
    return null;
  }
}

/** Sends with retries and backoff until the server accepts, refuses for good, or the run stops. */
async function deliver<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  message: OutgoingMessage,
  plan: Planned,
  lane: Lane,
): Promise<void> {
  const attempt = { attempts: 0, throttles: 0 };
  for (;;) {
    attempt.attempts++;
    let receipt: SendReceipt;
    try {
      receipt = await run.deps.transport.send(message);
    } catch (thrown) {
      const error = thrown instanceof TransportError ? thrown : classifySmtpError(thrown);
      if ((await afterRefusal(run, recipient, error, attempt)) === 'done') return;
      continue;
    }
    const recording = recordAccepted(run, recipient, receipt, plan, attempt.attempts);
    if (!run.deps.ledger.commitsInOrder) return recording;
    recording.catch(() => {}); // settled by the worker's next claim or its end (settle)
    lane.unsettled = recording;
    return;
  }
}

/**
 * What a refusal or a lost connection leads to: ambiguous (never retried), a recorded
 * failure (permanent, or out of attempts), or a wait before the next attempt. A row the
 * server answered "not now" goes back to the queue when the run stops meanwhile.
 */
async function afterRefusal<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  error: TransportError,
  attempt: { attempts: number; throttles: number },
): Promise<'retry' | 'done'> {
  const { deps, options, editionId } = run;
  if (error.code === 'TRANSPORT_AMBIGUOUS') {
    await leaveAmbiguous(run, recipient, error, attempt.attempts);
    return 'done';
  }
  if (error.code === 'TRANSPORT_THROTTLED' && attempt.throttles < (options.maxThrottleRetries ?? 10)) {
    // Throttling is the server's pace, not a fault: slow down without spending an attempt.
    attempt.throttles++;
    attempt.attempts--;
    deps.transport.slowDown?.();
  } else {
    run.noteFailure(error);
  }
  const { attempts } = attempt;
  deps.logger.debug({ editionId, subscriberId: recipient.id, code: error.code, attempts }, error.message);
  if (error.code === 'TRANSPORT_PERMANENT' || attempts >= options.delivery.maxAttempts) {
    const retryable = error.code !== 'TRANSPORT_PERMANENT';
    await recordFailure(run, recipient, { code: error.code, text: error.response, retryable, attempts });
    if (error.recipientRejected) await deps.onPermanentRejection?.(recipient, error);
    return 'done';
  }
  const { backoffInitial, backoffMax } = options.delivery;
  if (!run.stopping)
    await run.sleep(
      computeBackoff(attempts + attempt.throttles, backoffInitial, backoffMax, run.random()),
      run.halt.signal,
    );
  if (!run.stopping) return 'retry';
  // The server answered "not now": nothing was accepted, so the row may go back to the queue.
  await deps.ledger.releaseForRetry(editionId, recipient.id);
  return 'done';
}

/** Accepted. Nothing here may lead to a second send: a failing store ends the run instead. */
async function recordAccepted<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  receipt: SendReceipt,
  plan: Planned,
  attempts: number,
): Promise<void> {
  run.noteAccepted();
  const { ledger, clock } = run.deps;
  const at = clock.now();
  const record = {
    messageId: receipt.messageId,
    response: receipt.response,
    segment: plan.segmentKey,
    articleIds: plan.articleIds,
  };
  const stored = await run.recordOutcome(
    recipient,
    { kind: 'accepted', record },
    () => ledger.recordAccepted(run.editionId, recipient.id, at, record),
    attempts,
  );
  if (stored.where !== 'nowhere') run.result.accepted++;
  if (stored.where !== 'ledger') throw stored.error;
  await run.deps.onAccepted?.(recipient);
}

/** A failure recorded in the ledger (or the journal); a store that cannot record it ends the run. */
async function recordFailure<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  record: { code: string; text: string; retryable: boolean; attempts: number },
): Promise<void> {
  const at = run.deps.clock.now();
  const stored = await run.recordOutcome(
    recipient,
    { kind: 'failed', record },
    () => run.deps.ledger.recordFailed(run.editionId, recipient.id, at, record),
    record.attempts,
  );
  run.result.failed++;
  if (stored.where !== 'ledger') throw stored.error;
}

/** The server may have the message: never retried; the row stays `sending`, reported as ambiguous. */
async function leaveAmbiguous<R extends DeliveryRecipient>(
  run: SendRun<R>,
  recipient: R,
  error: TransportError,
  attempts: number,
): Promise<void> {
  run.noteFailure(error);
  run.result.ambiguousThisRun++;
  run.noteAmbiguous(recipient, error.code, error.message, attempts);
  run.deps.logger.warn({ editionId: run.editionId, subscriberId: recipient.id, code: error.code }, error.message);
  try {
    await run.deps.ledger.recordAmbiguous(run.editionId, recipient.id, run.deps.clock.now(), {
      code: error.code,
      text: error.message,
      attempts,
    });
  } catch (noteError) {
    // Only the reason is lost: the row is `sending` already, which is what makes it ambiguous.
    run.warnUnnoted(recipient, noteError);
  }
}
