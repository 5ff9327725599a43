import type { Ledger } from '../delivery/ledger.ts';
import type { SourceStateStore } from '../store/source-state-store.ts';
import type { StoreStats } from '../store/store-stats.ts';
import type { WebhookQueue } from '../webhooks/webhook-queue.ts';

/** The store figures `/metrics` reads at each scrape: counts by status, source states, unresolved ambiguous rows. */
export interface OpsReadings {
  stats: StoreStats;
  sources: Pick<SourceStateStore, 'listStates'>;
  ledger?: Pick<Ledger, 'unresolvedAmbiguous'>;
  /** Failed and waiting webhook deliveries. */
  webhooks?: Pick<WebhookQueue, 'counts'>;
}
