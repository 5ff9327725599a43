import type { Ledger } from '../delivery/ledger.ts';
import type { SourceStateStore } from '../ingest/source-state-store.ts';
import type { StoreStats } from '../core/store-health.ts';
import type { WebhookQueue } from '../webhooks/webhook-queue.ts';

/** The store figures `/metrics` reads at each scrape: counts by status, source states, unresolved ambiguous rows. */
export interface OpsReadings {
  stats: StoreStats;
  sources: Pick<SourceStateStore, 'listStates'>;
  ledger?: Pick<Ledger, 'unresolvedAmbiguous'>;
  /** Failed and waiting webhook deliveries. */
  webhooks?: Pick<WebhookQueue, 'counts'>;
}
