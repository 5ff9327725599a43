import { audienceOf } from './audience-of.ts';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { TidingsError, describeError, isTidingsError } from '../core/errors.ts';
import { assertNotTooLate } from '../delivery/late-run.ts';
import { createProgressReporter } from '../delivery/progress-reporter.ts';
import { sendEdition } from '../delivery/send-edition.ts';
import { holdSendLease, type HeldLease, type LeaseHolder, type LeaseRequest } from '../delivery/send-lease.ts';
import { describeTally, tallyOf } from '../delivery/delivery-tally.ts';
import { summarizeSendResult } from '../delivery/send-summary.ts';
import type { SendResult } from '../delivery/send-types.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import { editionIdFor, slotFor } from '../editions/slot.ts';
import type { NewsletterConfig } from '../config/schema.ts';
import type { Edition } from '../editions/edition.ts';
import type { Recipient } from '../subscribers/subscriber-store.ts';
import { notYetQueued } from '../editions/edition.ts';
import { applyPendingOutcomes, openOutcomeJournal } from './apply-pending-outcomes.ts';
import { completeEditionIfFinal } from './complete-edition.ts';
import { queueAudience, recordAudience } from './edition-queue.ts';
import type { AppContext } from './context.ts';
import { SharedSegments, withSharedRenders } from '../worker/shared-segments.ts';
import { editionSendHooks } from './edition-send-hooks.ts';
import { claimAheadLanes } from './claim-ahead.ts';
import { isLocalProcessGone } from '../core/process-liveness.ts';
import { EditionPipeline, type EditionRef, findNewsletter, parseAt, requireSecret } from './edition-pipeline.ts';

export interface SendOptions {
  /** `--at`: the slot, read in the newsletter's time zone when it has no offset; default now. */
  at?: string;
  /** The edition itself (the desk, the scheduler): sent as stored, its id never re-read from a wall time. */
  edition?: EditionRef;
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

/** The scheduler's release filter as release times: a reader it leaves out is not due yet. */
function releaseFilter(
  filter: ((recipient: Recipient) => boolean) | undefined,
): ((recipient: Recipient) => number) | undefined {
  return filter ? (recipient) => (filter(recipient) ? 0 : Infinity) : undefined;
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

interface SendTarget {
  editionId: string;
  /** The slot's instant, for the late-run rule. */
  slot: Date;
  open(options: { save: boolean }): Promise<EditionPipeline>;
}

/** The edition a send is about: the one the caller names by itself, else the slot of `--at`. */
function sendTarget(ctx: AppContext, newsletterId: string, options: SendOptions): SendTarget {
  const { timezone } = findNewsletter(ctx, newsletterId);
  const { edition } = options;
  if (edition)
    return {
      editionId: edition.id,
      slot: new Date(edition.slot),
      open: (open) => EditionPipeline.openRef(ctx, edition, open),
    };
  const at = parseAt(ctx, options.at, timezone);
  const slot = slotFor(at, timezone);
  return {
    editionId: editionIdFor(newsletterId, slot),
    slot: slot.utc,
    open: (open) => EditionPipeline.open(ctx, newsletterId, at, open),
  };
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
  const target = sendTarget(ctx, newsletterId, options);
  // The late-run rule comes before the edition is built: a refused slot must not freeze
  // (and so use up) articles that the next edition should get.
  try {
    assertNotTooLate({
      editionId: target.editionId,
      slot: target.slot,
      now,
      maxLatenessMs: ctx.config.delivery.maxLateness,
      force: Boolean(options.force),
    });
  } catch (error) {
    return { exitCode: 1, lines: [describeError(error)], result: null, editionId: target.editionId };
  }
  // A dry run looks, like a preview: an edition not built yet stays unsaved and the slot undecided.
  const pipeline = await target.open({ save: !options.dryRun });
  const { edition, newsletter } = pipeline;
  const done = (exitCode: number, lines: string[], result: SendResult | null = null): SendOutcome => ({
    exitCode,
    lines,
    result,
    editionId: edition.id,
  });

  if (edition.status === 'skipped')
    return done(0, [`${edition.id}: skipped, not sent (${edition.statusReason ?? 'no reason recorded'}).`]);
  const awaitingApproval = newsletter.requireApproval && edition.status === 'draft';
  if (awaitingApproval && !options.dryRun) {
    return done(1, awaitingApprovalLines(ctx, newsletter, edition));
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
    await lease
      ?.release()
      .catch((error: unknown) => ctx.logger.warn(`cannot release the send lease: ${describeError(error)}`));
  }
}

/** What a send of a draft that waits for approval prints: how to approve, and (scheduled newsletters) what the scheduler does at the deadline. */
function awaitingApprovalLines(ctx: AppContext, newsletter: NewsletterConfig, edition: Edition): string[] {
  const lines = [
    `${edition.id}: waiting for approval (newsletters.${newsletter.id}.requireApproval); approve with: ${ctx.commandLine(`edition approve ${edition.id}`)}`,
  ];
  if (newsletter.schedule) {
    const deadline = new Date(Date.parse(edition.slot) + newsletter.approvalDeadline).toISOString();
    lines.push(
      `Unapproved at ${deadline}, the scheduler ${newsletter.onApprovalTimeout === 'send' ? 'sends it as it is' : 'skips it (its articles go to the next edition)'} (onApprovalTimeout).`,
    );
  }
  return lines;
}

/** This run, as the holder of a send lease: host, pid and a random tag (unique per run, even in one process). */
export function describeThisRun(kind = 'run'): LeaseRequest {
  const host = os.hostname();
  return { holder: `${host} pid ${process.pid} ${kind} ${randomUUID().slice(0, 8)}`, host, pid: process.pid };
}

/** A lease held by a process of this machine that no longer exists (killed, crashed) is stale. */
export function isHolderGone(holder: LeaseHolder): boolean {
  return isLocalProcessGone(holder.host, holder.pid);
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
  const transport = options.dryRun
    ? null
    : createMailTransport(ctx.config.transport, ctx.baseDir, {
        clock: ctx.clock,
        logger: ctx.logger,
        abortSignal: ctx.shutdown.expired,
      });
  if (transport && ctx.config.transport.type === 'smtp' && !ctx.config.web.baseUrl.startsWith('https:')) {
    ctx.logger.warn(
      { baseUrl: ctx.config.web.baseUrl },
      'web.baseUrl is not https: mailbox providers ignore the one-click List-Unsubscribe link',
    );
  }
  // Who it must reach, recorded before the edition is `sending`: nothing may mark it sent short of them.
  const readers = audienceOf(newsletter, new Date(edition.slot));
  const readersNow = () =>
    ctx.store.subscribers.streamRecipients(readers.newsletterId, { at: now, cadence: readers.cadence });
  const audience = options.dryRun ? null : await recordAudience(ctx.store, edition, now, readers);
  if (!options.dryRun)
    await ctx.store.editions.setStatus(edition.id, 'sending', { at: now, from: ['draft', 'approved', 'sending'] });
  // --limit holds queuing where it stops (workers leave the rest); any other send lets it go on.
  const hold =
    options.limit !== undefined ? `send --limit ${options.limit} on ${os.hostname()} pid ${process.pid}` : null;
  if (audience && (hold || audience.heldBy)) await ctx.store.editions.holdQueue(edition.id, hold);
  // A bar on a terminal; otherwise events in the JSON log (stderr, info level), so stdout carries only the command's output.
  const progress = createProgressReporter({
    stream: ctx.stdout,
    editionId: edition.id,
    log: (event) => ctx.logger.info(event, String(event.event)),
  });
  const total = audience?.total ?? (await ctx.store.subscribers.count(readers.newsletterId, now, readers.cadence));
  const connections = ctx.config.transport.type === 'smtp' ? ctx.config.transport.maxConnections : 4;
  // PostgreSQL: each claim waits for the server's disk; more lanes than connections hide that wait.
  const lanes = ctx.store.workQueue ? claimAheadLanes(connections) : connections;
  const signals = [options.signal, lease?.lost].filter((signal): signal is AbortSignal => Boolean(signal));
  // Under --limit, pages no larger than the limit: the run queues little more than it sends.
  const pageSize = Math.min(256, options.limit ?? 256);

  const hooks = editionSendHooks(ctx, pipeline, secret, transport);
  // PostgreSQL: workers beside this run render each segment once with it, not once each.
  const queue = ctx.store.workQueue;
  if (queue && !options.dryRun)
    hooks.plan = withSharedRenders(
      hooks.plan,
      new SharedSegments(queue, edition.id, describeThisRun().holder, ctx.clock),
    );
  let result: SendResult;
  try {
    result = await sendEdition<Recipient>(
      {
        ledger: ctx.store.ledger,
        transport: transport ?? {
          send: async () => {
            throw new TidingsError('USAGE', 'dry run');
          },
          close: async () => {},
        },
        recipients: audience
          ? queueAudience(
              ctx.store,
              {
                editionId: edition.id,
                readers,
                audience,
                releaseOf: releaseFilter(options.recipientFilter),
              },
              { queued: 0, nextReleaseAt: null },
              { at: now, pageSize },
            )
          : options.recipientFilter
            ? onlyWhere(readersNow(), options.recipientFilter)
            : readersNow(),
        ...hooks,
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
        maxConnections: lanes,
        delivery: ctx.config.delivery,
        total,
        signal: signals.length ? AbortSignal.any(signals) : undefined,
        queued: Boolean(audience),
        batchSize: pageSize,
      },
    );
  } finally {
    await transport?.close();
  }
  if (lease?.lost.aborted && !options.signal?.aborted) {
    // Not a stop asked for: another run took the edition over after this one stalled.
    result.stopped = false;
    result.fatal ??= {
      code: 'SEND_LEASE_HELD',
      message: 'another run took over the send lease (this run stalled longer than the lease lasts)',
    };
  }
  progress.finish({
    accepted: result.accepted,
    failed: result.failed,
    skipped: result.skipped,
    alreadyDone: result.alreadyDone,
    handled: result.accepted + result.failed + result.skipped + result.alreadyDone + result.wouldSend,
    total,
    rate: result.rate,
    elapsedMs: result.elapsedMs,
  });
  const { retryLater, unqueued, workersInFlight, totals } = await settleEdition(ctx, edition.id, options, result);
  const rerun = ctx.commandLine(`send ${newsletter.id} --at ${edition.slot}`);
  const summary = summarizeSendResult(result, rerun, ctx.commandLine(`deliveries resolve ${edition.id}`));
  if (totals) summary.lines.splice(1, 0, totals);
  if (options.dryRun && awaitingApproval) {
    summary.lines.push(
      `Note: ${edition.id} is not approved yet; a real send waits for: ${ctx.commandLine(`edition approve ${edition.id}`)}`,
    );
  }
  for (const worker of workersInFlight) {
    summary.lines.push(
      `${worker.rows} in flight at worker ${worker.workerId} (alive): not ambiguous, the worker records them${options.resendAmbiguous ? '; not resent' : ''}.`,
    );
  }
  if (unqueued) {
    const who =
      options.limit !== undefined
        ? 'the next send queues them'
        : 'the next send, the scheduler or a worker queues them';
    summary.lines.push(`${unqueued} not yet queued: ${edition.id} stays sending; ${who}: ${rerun}`);
  }
  if (retryLater && summary.exitCode === 0) {
    summary.lines.push(
      `${retryLater} deliveries failed temporarily after delivery.maxAttempts attempts; they are tried again by a rerun: ${rerun}`,
    );
    summary.exitCode = 1;
  }
  if (!options.dryRun && ctx.config.transport.type === 'outbox') {
    summary.lines.push(`Messages are in ${ctx.resolvePath(ctx.config.transport.dir)}/ (one .eml file per subscriber).`);
  }
  return done(summary.exitCode, summary.lines, result);
}

interface Settled {
  /** Temporary failures that used up delivery.maxAttempts: the list is not done until a rerun retries them. */
  retryLater: number;
  unqueued: number;
  /** PostgreSQL: rows live workers have in flight are theirs, not ambiguous (the engine left them out too). */
  workersInFlight: { workerId: string; rows: number }[];
  /** The edition's totals line in the words of `tidings status`; null for a dry run or a failed store. */
  totals: string | null;
}

/** After a real run: marks the edition sent when it is (the one rule), and reads what the summary says is left. */
async function settleEdition(
  ctx: AppContext,
  editionId: string,
  options: SendOptions,
  result: SendResult,
): Promise<Settled> {
  const settled: Settled = { retryLater: 0, unqueued: 0, workersInFlight: [], totals: null };
  if (options.dryRun || result.fatal) return settled;
  try {
    const counts = await ctx.store.ledger.counts(editionId);
    if (counts.failed)
      settled.retryLater = (await ctx.store.ledger.list(editionId, 'failed')).filter((row) => row.retryable).length;
    // The edition's totals in the words and figures of `tidings status` (delivery-tally.ts).
    settled.totals = `${editionId} in all: ${describeTally(tallyOf(counts, result.ambiguous.length))}.`;
    // A release of some time zones (subscriber-local) is never the last word: later ones follow.
    if (!options.partial) await completeEditionIfFinal(ctx.store, editionId, ctx.clock.now());
    settled.unqueued = notYetQueued((await ctx.store.editions.getEdition(editionId))?.audience, counts.total);
    settled.workersInFlight = ctx.store.workQueue ? await ctx.store.workQueue.inFlight(editionId, ctx.clock.now()) : [];
  } catch (error) {
    // The sending is over; a store failing now must still end with the summary, not a stack trace.
    result.fatal = { code: isTidingsError(error) ? error.code : 'STORE_FAILED', message: describeError(error) };
  }
  return settled;
}
