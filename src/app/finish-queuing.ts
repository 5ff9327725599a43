import { audienceOf } from './audience-of.ts';
import { describeError, isTidingsError } from '../core/errors.ts';
import { holdSendLease, type HeldLease } from '../delivery/send-lease.ts';
import type { Edition } from '../editions/edition.ts';
import { parseEditionId } from '../editions/slot.ts';
import { releaseAt, zoneOf } from '../schedule/release-times.ts';
import type { Recipient } from '../subscribers/subscriber-store.ts';
import { completeEditionIfFinal } from './complete-edition.ts';
import type { AppContext } from './context.ts';
import { queueAudience, type QueueProgress } from './edition-queue.ts';
import { describeThisRun, isHolderGone } from './run-send.ts';

/**
 * Queuing that a send started and did not finish (killed, stopped by a signal, the store
 * failing), finished by a worker: each edition `sending` (or `sent`) whose recorded
 * audience is not fully queued and not held by `send --limit` is queued from its mark on,
 * under the edition's send lease, so a live send (which queues as it goes) is left to do
 * it and a dead one on this machine is taken over at once. `deliver: subscriber-local`
 * readers are queued when their time zone's release time has come. Returns a function
 * for the worker loop: how many readers it queued in this pass.
 */
export function createQueueFinisher(
  ctx: AppContext,
  options: { newsletterId?: string; workerId: string },
): (signal: AbortSignal) => Promise<number> {
  // Per edition, the next release time of readers kept back: no pass over the list before it.
  const waitUntil = new Map<string, number>();
  return async (signal) => {
    let queued = 0;
    for (const editionId of await ctx.store.editions.listUnqueued(options.newsletterId)) {
      if (signal.aborted) break;
      if ((waitUntil.get(editionId) ?? 0) > ctx.clock.now().getTime()) continue;
      const edition = await ctx.store.editions.getEdition(editionId);
      if (!edition?.audience || edition.audience.heldBy) continue;
      try {
        const progress = await queueUnderLease(ctx, edition, signal);
        if (!progress) continue;
        queued += progress.queued;
        if (progress.nextReleaseAt !== null) waitUntil.set(editionId, progress.nextReleaseAt);
        else waitUntil.delete(editionId);
        if (progress.queued)
          ctx.logger.info(
            { worker: options.workerId, editionId, queued: progress.queued },
            'finished queuing an edition a send left unfinished',
          );
        await completeEditionIfFinal(ctx.store, editionId, ctx.clock.now());
      } catch (error) {
        // The next pass tries again; sending what is queued goes on meanwhile.
        ctx.logger.warn({ worker: options.workerId, editionId }, `cannot finish queuing: ${describeError(error)}`);
      }
    }
    return queued;
  };
}

/** One pass over the edition's unqueued readers; null when a live send holds the edition (it queues them). */
async function queueUnderLease(ctx: AppContext, edition: Edition, signal: AbortSignal): Promise<QueueProgress | null> {
  const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId);
  if (!newsletter || !edition.audience) return null;
  let lease: HeldLease;
  try {
    lease = await holdSendLease({
      lease: ctx.store.sendLease,
      editionId: edition.id,
      request: describeThisRun('queue'),
      clock: ctx.clock,
      logger: ctx.logger,
      isHolderGone,
      refusal: () => 'it queues the edition itself',
    });
  } catch (error) {
    if (isTidingsError(error) && error.code === 'SEND_LEASE_HELD') return null;
    throw error;
  }
  try {
    const now = ctx.clock.now();
    const progress: QueueProgress = { queued: 0, nextReleaseAt: null };
    const releaseOf =
      newsletter.deliver === 'subscriber-local' ? localRelease(edition, newsletter.timezone) : undefined;
    const readers = queueAudience(
      ctx.store,
      {
        editionId: edition.id,
        readers: audienceOf(newsletter, new Date(edition.slot)),
        audience: edition.audience,
        releaseOf,
      },
      progress,
      {
        at: now,
        pageSize: 256,
        signal: AbortSignal.any([signal, lease.lost]),
        fromMark: true,
      },
    );
    // Queuing is the point here: the readers themselves are sent by whoever leases their rows.
    for await (const reader of readers) void reader;
    return progress;
  } finally {
    await lease
      .release()
      .catch((error: unknown) => ctx.logger.warn(`cannot release the send lease: ${describeError(error)}`));
  }
}

/** `deliver: subscriber-local`: a reader's release is the slot's wall time in their own zone (the scheduler's rule). */
function localRelease(edition: Edition, newsletterZone: string): ((reader: Recipient) => number) | undefined {
  const local = parseEditionId(edition.id)?.local;
  if (!local) return undefined;
  // The wall time the schedule named is the edition id's local time.
  const slot = { scheduledLocal: local };
  const zones = new Map<string, number>();
  return (reader) => {
    const zone = zoneOf(reader.timezone, newsletterZone);
    let at = zones.get(zone);
    if (at === undefined) {
      at = releaseAt(slot, zone).getTime();
      zones.set(zone, at);
    }
    return at;
  };
}
