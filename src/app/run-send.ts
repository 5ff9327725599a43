import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { TidingsError, describeError, isTidingsError } from '../core/errors.ts';
import { assertNotTooLate } from '../delivery/late-run.ts';
import { createProgressReporter } from '../delivery/progress-reporter.ts';
import { sendEdition } from '../delivery/send-edition.ts';
import { holdSendLease, type HeldLease, type LeaseHolder, type LeaseRequest } from '../delivery/send-lease.ts';
import { summarizeSendResult } from '../delivery/send-summary.ts';
import type { SendResult } from '../delivery/send-types.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import { editionIdFor, slotFor } from '../editions/slot.ts';
import type { Recipient } from '../subscribers/subscriber-store.ts';
import { applyPendingOutcomes, openOutcomeJournal } from './apply-pending-outcomes.ts';
import type { AppContext } from './context.ts';
import { editionSendHooks } from './edition-send-hooks.ts';
import { EditionPipeline, findNewsletter, parseAt, requireSecret } from './edition-pipeline.ts';

export interface SendOptions {
  at?: string;
  dryRun?: boolean;
  limit?: number;
  resendAmbiguous?: boolean;
  force?: boolean;
  signal?: AbortSignal;
  /**
   * Only these recipients in this run (the scheduler's subscriber-local releases): the
   * others stay untouched, so a later run reaches them.
   */
  recipientFilter?: (recipient: Recipient) => boolean;
  /** More runs of this edition follow (a filtered release): never mark it sent. */
  partial?: boolean;
}

async function* onlyWhere<T>(items: AsyncIterable<T>, keep: (item: T) => boolean): AsyncIterable<T> {
  for await (const item of items) if (keep(item)) yield item;
}

export interface SendOutcome {
  exitCode: number;
  lines: string[];
  result: SendResult | null;
  editionId: string;
}

/**
 * `tidings send`: build or load the edition for the slot, then stream the newsletter's
 * recipients through the delivery engine, rendering once per segment. A skipped edition
 * is never sent; rerunning a sent one sends only to rows never claimed (the ledger decides).
 */
export async function runSend(ctx: AppContext, newsletterId: string, options: SendOptions): Promise<SendOutcome> {
  const secret = requireSecret(ctx);
  // Before anything else: outcomes an earlier run could not record decide which rows are done.
  await applyPendingOutcomes(ctx);
  const now = ctx.clock.now();
  const { timezone } = findNewsletter(ctx, newsletterId);
  const at = parseAt(ctx, options.at, timezone);
  // The late-run rule comes before the edition is built: a refused slot must not freeze
  // (and so use up) articles that the next edition should get.
  const slot = slotFor(at, timezone);
  try {
    assertNotTooLate({ editionId: editionIdFor(newsletterId, slot), slot: slot.utc, now, maxLatenessMs: ctx.config.delivery.maxLateness, force: Boolean(options.force) });
  } catch (error) {
    return { exitCode: 1, lines: [describeError(error)], result: null, editionId: editionIdFor(newsletterId, slot) };
  }
  // A dry run looks, like a preview: an edition not built yet stays unsaved and the slot undecided.
  const pipeline = await EditionPipeline.open(ctx, newsletterId, at, { save: !options.dryRun });
  const { edition, newsletter } = pipeline;
  const done = (exitCode: number, lines: string[], result: SendResult | null = null): SendOutcome => ({ exitCode, lines, result, editionId: edition.id });

  if (edition.status === 'skipped') return done(0, [`${edition.id}: skipped, not sent (${edition.statusReason ?? 'no reason recorded'}).`]);
  const awaitingApproval = newsletter.requireApproval && edition.status === 'draft';
  if (awaitingApproval && !options.dryRun) {
    return done(1, [`${edition.id}: waiting for approval (newsletters.${newsletter.id}.requireApproval); approve with: ${ctx.commandLine(`edition approve ${edition.id}`)}`]);
  }

  let lease: HeldLease | null = null;
  if (!options.dryRun) {
    try {
      lease = await holdSendLease({
        lease: ctx.store.sendLease,
        editionId: edition.id,
        request: describeThisRun(),
        clock: ctx.clock,
        logger: ctx.logger,
        isHolderGone,
        refusal: () =>
          options.resendAmbiguous
            ? 'resending ambiguous rows now would resend its messages in flight; wait for it to finish, then run this again'
            : 'it sends to the whole list; wait for it to finish (rerunning afterwards is safe)',
      });
    } catch (error) {
      if (!isTidingsError(error) || error.code !== 'SEND_LEASE_HELD') throw error;
      // --resend-ambiguous next to a live send is a usage error (2); a plain overlap is work in progress (1).
      return done(options.resendAmbiguous ? 2 : 1, [`error: [${error.code}] ${error.message}`]);
    }
  }
  try {
    return await sendUnderLease(ctx, pipeline, options, secret, lease, done);
  } finally {
    await lease?.release().catch((error: unknown) => ctx.logger.warn(`cannot release the send lease: ${describeError(error)}`));
  }
}

/** This run, as the holder of a send lease: host, pid and a random tag (unique per run, even in one process). */
function describeThisRun(): LeaseRequest {
  const host = os.hostname();
  return { holder: `${host} pid ${process.pid} run ${randomUUID().slice(0, 8)}`, host, pid: process.pid };
}

/** A lease held by a process of this machine that no longer exists (killed, crashed) is stale. */
function isHolderGone(holder: LeaseHolder): boolean {
  if (holder.host !== os.hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function sendUnderLease(
  ctx: AppContext,
  pipeline: EditionPipeline,
  options: SendOptions,
  secret: string,
  lease: HeldLease | null,
  done: (exitCode: number, lines: string[], result?: SendResult | null) => SendOutcome,
): Promise<SendOutcome> {
  const { edition, newsletter } = pipeline;
  // One instant for who is subscribed (a reader paused until today counts from it).
  const now = ctx.clock.now();
  const awaitingApproval = newsletter.requireApproval && edition.status === 'draft';
  const transport = options.dryRun ? null : createMailTransport(ctx.config.transport, ctx.baseDir, { clock: ctx.clock, logger: ctx.logger });
  if (transport && ctx.config.transport.type === 'smtp' && !ctx.config.web.baseUrl.startsWith('https:')) {
    ctx.logger.warn({ baseUrl: ctx.config.web.baseUrl }, 'web.baseUrl is not https: mailbox providers ignore the one-click List-Unsubscribe link');
  }
  if (!options.dryRun) await ctx.store.editions.setStatus(edition.id, 'sending', { at: now, from: ['draft', 'approved', 'sending'] });
  // A bar on a terminal; otherwise events in the JSON log (stderr, info level), so stdout carries only the command's output.
  const progress = createProgressReporter({ stream: ctx.stdout, editionId: edition.id, log: (event) => ctx.logger.info(event, String(event.event)) });
  const total = await ctx.store.subscribers.count(newsletter.id, now);
  const maxConnections = ctx.config.transport.type === 'smtp' ? ctx.config.transport.maxConnections : 4;
  const signals = [options.signal, lease?.lost].filter((signal): signal is AbortSignal => Boolean(signal));

  // PostgreSQL: rows live workers have in flight are theirs, not ambiguous; the reset leaves them (ledger.ts).
  const workersInFlight = options.resendAmbiguous && !options.dryRun && ctx.store.workQueue ? await ctx.store.workQueue.inFlight(edition.id, now) : [];

  let result: SendResult;
  try {
    result = await sendEdition<Recipient>(
      {
        ledger: ctx.store.ledger,
        transport: transport ?? { send: async () => { throw new TidingsError('USAGE', 'dry run'); }, close: async () => {} },
        recipients: options.recipientFilter
          ? onlyWhere(ctx.store.subscribers.streamRecipients(newsletter.id, { at: now }), options.recipientFilter)
          : ctx.store.subscribers.streamRecipients(newsletter.id, { at: now }),
        ...editionSendHooks(ctx, pipeline, secret, transport),
        clock: ctx.clock,
        logger: ctx.logger,
        journal: openOutcomeJournal(ctx),
        onProgress: (p) => progress.update(p),
      },
      {
        editionId: edition.id,
        dryRun: options.dryRun,
        limit: options.limit,
        resendAmbiguous: options.resendAmbiguous,
        maxConnections,
        delivery: ctx.config.delivery,
        total,
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      },
    );
  } finally {
    await transport?.close();
  }
  if (lease?.lost.aborted && !options.signal?.aborted) {
    // Not a stop asked for: another run took the edition over after this one stalled.
    result.stopped = false;
    result.fatal ??= { code: 'SEND_LEASE_HELD', message: 'another run took over the send lease (this run stalled longer than the lease lasts)' };
  }
  progress.finish({
    accepted: result.accepted, failed: result.failed, skipped: result.skipped, alreadyDone: result.alreadyDone,
    handled: result.accepted + result.failed + result.skipped + result.alreadyDone + result.wouldSend, total, rate: result.rate, elapsedMs: result.elapsedMs,
  });
  // Temporary failures that used up delivery.maxAttempts: the list is not done until a rerun retries them.
  let retryLater = 0;
  if (!options.dryRun && !result.fatal) {
    try {
      const counts = await ctx.store.ledger.counts(edition.id);
      if (counts.failed) retryLater = (await ctx.store.ledger.list(edition.id, 'failed')).filter((row) => row.retryable).length;
      const finished = !options.partial && !result.paused && !result.stopped && !result.limitReached && counts.pending === 0 && counts.sending === 0 && retryLater === 0;
      if (finished) await ctx.store.editions.setStatus(edition.id, 'sent', { at: ctx.clock.now(), from: ['sending'] });
    } catch (error) {
      // The sending is over; a store failing now must still end with the summary, not a stack trace.
      result.fatal = { code: isTidingsError(error) ? error.code : 'STORE_FAILED', message: describeError(error) };
    }
  }
  const rerun = ctx.commandLine(`send ${newsletter.id} --at ${edition.slot}`);
  const summary = summarizeSendResult(result, rerun);
  if (options.dryRun && awaitingApproval) {
    summary.lines.push(`Note: ${edition.id} is not approved yet; a real send waits for: ${ctx.commandLine(`edition approve ${edition.id}`)}`);
  }
  for (const worker of workersInFlight) {
    summary.lines.push(`${worker.rows} rows were in flight at worker ${worker.workerId} (alive): left to it, not resent.`);
  }
  if (retryLater && summary.exitCode === 0) {
    summary.lines.push(`${retryLater} deliveries failed temporarily after delivery.maxAttempts attempts; they are tried again by a rerun: ${rerun}`);
    summary.exitCode = 1;
  }
  if (!options.dryRun && ctx.config.transport.type === 'outbox') {
    summary.lines.push(`Messages are in ${ctx.resolvePath(ctx.config.transport.dir)}/ (one .eml file per subscriber).`);
  }
  return done(summary.exitCode, summary.lines, result);
}
