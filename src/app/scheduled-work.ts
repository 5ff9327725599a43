import { audienceOf } from './audience-of.ts';
import type { Edition } from '../editions/edition.ts';
import type { SchedulerWork, SendReport } from '../schedule/scheduler.ts';
import type { AppContext } from './context.ts';
import { EditionPipeline } from './edition-pipeline.ts';
import { notifyEditors } from './notify-editors.ts';
import { liveSendLeases } from './live-holders.ts';
import { createBounceWork } from './process-bounces-from-context.ts';
import { runSend } from './run-send.ts';

/**
 * The scheduler's orders carried out by the app layer. `refresh` (ingest due sources,
 * sync subscriber lists) comes from the caller, which owns those commands; bounce
 * processing is there when `bounces.mailbox` (or `maildir`) is set.
 */
export function createScheduledWork(ctx: AppContext, refresh: () => Promise<void>): SchedulerWork {
  let lastRefresh = -Infinity;
  const processBounces = createBounceWork(ctx);
  return {
    ...(processBounces ? { processBounces } : {}),
    async refreshBeforePrepare() {
      // Several newsletters prepared in one tick share one refresh.
      const now = ctx.clock.now().getTime();
      if (now - lastRefresh < 60_000) return;
      lastRefresh = now;
      await refresh();
    },
    prepare: async (newsletterId, slotUtc) => (await EditionPipeline.open(ctx, newsletterId, slotUtc)).edition,
    notifyEditors: (newsletterId, edition) => notifyEditors(ctx, newsletterId, edition),
    async send(newsletterId: string, edition: Edition, options): Promise<SendReport> {
      // A hand-run send of the same edition holds its lease: wait for it rather than fail. A lease
      // left by a process that is gone (kill -9) is no reason to wait: runSend takes it over at once.
      const holder = (await liveSendLeases(ctx.store.sendLease).active(ctx.clock.now(), newsletterId)).find(
        (lease) => lease.editionId === edition.id,
      );
      if (holder)
        return { exitCode: 0, lines: [], finished: false, stopped: false, ambiguous: 0, heldBy: holder.holder };
      const outcome = await runSend(ctx, newsletterId, {
        edition,
        // The scheduler applied its own catch-up rule; delivery.maxLateness is for hand-run sends.
        force: true,
        signal: options.signal,
        partial: options.partial,
        recipientFilter: options.recipientFilter,
      });
      const stored = await ctx.store.editions.getEdition(edition.id);
      return {
        exitCode: outcome.exitCode,
        lines: outcome.lines,
        finished: stored?.status === 'sent',
        stopped: Boolean(outcome.result?.stopped),
        ambiguous: outcome.result?.ambiguous.length ?? 0,
        ...(outcome.result
          ? { accepted: outcome.result.accepted, ratePerSecond: outcome.result.rate, finishedAt: ctx.clock.now() }
          : {}),
      };
    },
    async unresolvedAmbiguous(editionId) {
      const [newsletterId] = editionId.split('/');
      return (
        (await ctx.store.ledger.unresolvedAmbiguous(ctx.clock.now(), newsletterId)).find(
          (e) => e.editionId === editionId,
        )?.rows ?? 0
      );
    },
    async readerZones(newsletterId) {
      const zones = new Set<string | null>();
      const newsletter = ctx.config.newsletters.find((n) => n.id === newsletterId);
      const readers = newsletter ? audienceOf(newsletter, ctx.clock.now()) : { newsletterId };
      const options = { cadence: readers.cadence };
      for await (const recipient of ctx.store.subscribers.streamRecipients(readers.newsletterId, options))
        zones.add(recipient.timezone);
      return [...zones];
    },
  };
}
