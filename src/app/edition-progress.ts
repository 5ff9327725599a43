import type { DeliveryCounts } from '../delivery/ledger.ts';
import { notYetQueued, type EditionStatus } from '../editions/edition.ts';
import type { AppContext } from './context.ts';
import { liveSendLeases, liveWorkersInFlight } from './live-holders.ts';

export interface EditionProgress {
  status: EditionStatus | null;
  counts: DeliveryCounts;
  /** Readers the edition must reach (recorded when its send started); null before. */
  audience: number | null;
  /** Readers of the audience without a ledger row yet. */
  notYetQueued: number;
  /** `sending` rows live workers have in flight: their messages in transit, not ambiguous. */
  inFlightAtWorkers: { workerId: string; rows: number }[];
  /** `sending` rows nobody alive is sending: the server may have them. */
  ambiguous: number;
}

/**
 * Where a send of one edition stands, as the desk shows it (the same words as `tidings
 * status`): the ledger's counts, readers not yet queued, and `sending` rows split into
 * those in flight (a send holds the edition's lease, or a live worker has them) and the
 * ambiguous rest.
 */
export async function readEditionProgress(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  editionId: string,
): Promise<EditionProgress> {
  const now = ctx.clock.now();
  const [edition, counts] = await Promise.all([
    ctx.store.editions.getEdition(editionId),
    ctx.store.ledger.counts(editionId),
  ]);
  const workers =
    counts.sending && ctx.store.workQueue
      ? await liveWorkersInFlight(ctx.store.workQueue).inFlight(editionId, now)
      : [];
  const sendHolds =
    counts.sending > 0 &&
    (await liveSendLeases(ctx.store.sendLease).active(now, edition?.newsletterId)).some(
      (lease) => lease.editionId === editionId,
    );
  const inFlight = workers.reduce((sum, worker) => sum + worker.rows, 0);
  return {
    status: edition?.status ?? null,
    counts,
    audience: edition?.audience?.total ?? null,
    notYetQueued: notYetQueued(edition?.audience, counts.total),
    inFlightAtWorkers: workers.map(({ workerId, rows }) => ({ workerId, rows })),
    ambiguous: sendHolds ? 0 : Math.max(0, counts.sending - inFlight),
  };
}
