import { describeFatal } from './outcome-recorder.ts';
import { RecipientFeed } from './recipient-feed.ts';
import { handleRecipient, type Lane, settle } from './send-recipient.ts';
import { SendRun } from './send-run.ts';
import type { DeliveryRecipient, SendEditionDeps, SendEditionOptions, SendResult } from './send-types.ts';

export { computeBackoff } from './send-backoff.ts';

/**
 * Sends one edition to a stream of recipients, exactly once per subscriber as far as
 * SMTP allows: each row is claimed in the ledger before the SMTP call and recorded
 * after it. `maxConnections` workers share the stream, so at most that many rows are
 * ever `sending`; a crash leaves at most that many ambiguous rows.
 *
 * The steps, in order: requeue what earlier runs left retryable, run the workers over the
 * recipient feed (each recipient: send-recipient.ts), then report the rows left ambiguous.
 */
export async function sendEdition<R extends DeliveryRecipient>(
  deps: SendEditionDeps<R>,
  options: SendEditionOptions,
): Promise<SendResult> {
  const run = new SendRun(deps, options);
  await requeueEarlierRows(run);
  const feed = openFeed(run);
  deps.logger.info(
    { editionId: run.editionId, dryRun: run.dryRun, maxConnections: options.maxConnections },
    'sending edition',
  );
  try {
    await runWorkers(run, feed);
  } finally {
    run.detach();
    await feed.close().catch(() => {});
  }
  run.result.stopped = Boolean(options.signal?.aborted) && !run.result.paused;
  run.result.segmentsRendered = run.segments.rendered;
  if (!run.dryRun) await collectAmbiguous(run);
  run.report();
  const { accepted, failed, skipped, paused } = run.result;
  deps.logger.info({ editionId: run.editionId, accepted, failed, skipped, paused }, 'edition run finished');
  return run.result;
}

/** Ambiguous rows back to pending when asked (`--resend-ambiguous`), and the last run's temporary failures. */
async function requeueEarlierRows<R extends DeliveryRecipient>(run: SendRun<R>): Promise<void> {
  if (run.dryRun) return;
  const { ledger, clock } = run.deps;
  if (run.options.resendAmbiguous) run.result.ambiguousResent = await ledger.resetAmbiguous(run.editionId, clock.now());
  run.result.requeuedFailures = await ledger.releaseRetryableFailures(run.editionId);
}

/** The recipients in pages: each page queued as pending rows (unless queued already) and prepared for planning. */
function openFeed<R extends DeliveryRecipient>(run: SendRun<R>): RecipientFeed<R> {
  const { deps, options } = run;
  return new RecipientFeed(deps.recipients, options.batchSize ?? 256, async (batch) => {
    if (!run.dryRun && !options.queued)
      await deps.ledger.ensurePending(
        run.editionId,
        batch.map((r) => r.id),
      );
    await deps.preparePage?.(batch);
  });
}

/**
 * `maxConnections` workers take recipients from the feed until it ends, the run halts or
 * the limit is reached. allSettled, not all: when one worker fails, the others still
 * finish and record what is in flight. A dry run's errors are the caller's; a real run
 * reports what stopped it as `fatal`.
 */
async function runWorkers<R extends DeliveryRecipient>(run: SendRun<R>, feed: RecipientFeed<R>): Promise<void> {
  const work = async (lane: Lane): Promise<void> => {
    while (!run.stopping) {
      // At the limit, read (and so queue) no further: the rest stays visibly not queued.
      if (run.limitReached) {
        run.result.limitReached = true;
        return;
      }
      const recipient = await feed.next();
      if (!recipient || run.stopping) return;
      const outcome = await handleRecipient(run, recipient, lane);
      run.report();
      if (outcome === 'stop') return;
    }
  };
  const worker = async (): Promise<void> => {
    const lane: Lane = { unsettled: null };
    try {
      await work(lane);
    } finally {
      // The last outcome is recorded before the worker ends (and before the run reports).
      await settle(lane);
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.max(1, run.options.maxConnections) }, () =>
      worker().catch((error: unknown) => {
        run.halt.abort();
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure && run.dryRun) throw failure.reason;
  if (failure) {
    run.result.fatal = describeFatal(failure.reason);
    run.deps.logger.error(
      { editionId: run.editionId, code: run.result.fatal.code },
      `sending stopped: ${run.result.fatal.message}`,
    );
  }
}

/** The rows left `sending` at the end; when the store cannot even be read, those this run knows it left. */
async function collectAmbiguous<R extends DeliveryRecipient>(run: SendRun<R>): Promise<void> {
  try {
    // Rows live workers have in flight are theirs, not ambiguous (PostgreSQL).
    const rows = await run.deps.ledger.listAmbiguous(run.editionId, run.deps.clock.now());
    run.result.ambiguous = rows.filter((row) => !run.recorder.journaledIds.has(row.subscriberId));
  } catch (error) {
    run.result.ambiguous = [...run.leftAmbiguous.values()];
    run.result.fatal ??= describeFatal(error);
  }
}
