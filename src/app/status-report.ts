import type { DeliveryEventStore } from '../delivery/delivery-events.ts';
import type { Ledger } from '../delivery/ledger.ts';
import type { SendLease } from '../delivery/send-lease.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import type { WebhookQueue } from '../webhooks/webhook-queue.ts';
import { applyPendingOutcomes } from './apply-pending-outcomes.ts';
import type { AppContext } from './context.ts';
import { liveSendLeases, liveWorkersInFlight } from './live-holders.ts';

/** What `tidings status` and `tidings deliveries` read: the ledger, the editions and what explains their rows. */
export interface StatusSources {
  ledger: Pick<Ledger, 'editions' | 'lastErrors' | 'list'>;
  /** Editions without deliveries (drafts, skipped thin ones) are listed from here. */
  editions?: Pick<EditionStore, 'listEditions' | 'getEdition'>;
  /** Unsubscribes attributed to each edition (the edition named in the signed unsubscribe link). */
  subscribers?: Pick<SubscriberStore, 'unsubscribesByEdition'>;
  /** Bounces and complaints per edition (tidings bounces process). */
  deliveryEvents?: Pick<DeliveryEventStore, 'countsByEdition'>;
  /** With it, editions being sent right now are marked, so their `sending` rows are not taken for ambiguous. */
  sendLease?: Pick<SendLease, 'active'>;
  /** PostgreSQL: live `tidings worker` processes, whose in-flight rows are not ambiguous either. */
  workQueue?: Pick<WorkQueue, 'inFlight'>;
  /** The webhook queue: failed and waiting deliveries are reported after the editions. */
  webhooks?: Pick<WebhookQueue, 'counts'>;
  now?: Date;
  /** The configured cadence streams (issue 26): status groups a newsletter's streams and counts per cadence. */
  streams?: CadenceStreamInfo[];
}

export interface CadenceStreamInfo {
  /** The stream's id, its editions' newsletter (`world.weekly`). */
  id: string;
  /** The configured newsletter (`world`). */
  newsletterId: string;
  cadence: string;
}

/** The status sources of this store, after applying the outcomes an earlier send could not record (so the counts are true). */
export async function readStatusSources(ctx: AppContext): Promise<StatusSources> {
  await applyPendingOutcomes(ctx);
  const { store } = ctx;
  return {
    ledger: store.ledger,
    editions: store.editions,
    subscribers: store.subscribers,
    // A lease left by a dead process names no one who is sending: its `sending` rows are ambiguous.
    sendLease: liveSendLeases(store.sendLease),
    workQueue: store.workQueue && liveWorkersInFlight(store.workQueue),
    deliveryEvents: store.deliveryEvents,
    webhooks: store.webhooks,
    now: ctx.clock.now(),
    streams: ctx.config.newsletters.flatMap((n) =>
      n.cadence ? [{ id: n.id, newsletterId: n.cadence.newsletterId, cadence: n.cadence.name }] : [],
    ),
  };
}
