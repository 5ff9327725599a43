import type { ApiStore } from '../access/api-store.ts';
import type { ApprovalLinkStore } from '../signal/approval-link-store.ts';
import type { ClickStore } from '../signal/click-store.ts';
import type { EditorStore } from '../editors/editor-store.ts';
import type { StoreHeartbeat, StoreStats } from '../core/store-health.ts';
import type { AuditLog } from '../editions/audit-log.ts';
import type { DeliveryEventStore } from '../delivery/delivery-events.ts';
import type { Ledger } from '../delivery/ledger.ts';
import type { SendLease } from '../delivery/send-lease.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import type { SchedulerStore } from '../schedule/scheduler-store.ts';
import type { SourceActivityReader } from '../ingest/watchdog/source-activity.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import type { WebhookQueue } from '../webhooks/webhook-queue.ts';
import type { ArticleStore } from '../ingest/article-store.ts';
import type { LlmSummaryCacheStore } from '../content/llm/llm-summary-cache-store.ts';
import type { PageCacheStore } from '../ingest/fulltext/page-cache-store.ts';
import type { SourceStateStore } from '../ingest/source-state-store.ts';

/**
 * The whole store, one interface per area. Each area's interface is owned by the
 * code that consumes it; implementations live in store/sqlite/ and store/postgres/, and
 * one contract suite per port (tests/store/contract/) runs against both.
 */
export interface Store {
  articles: ArticleStore;
  editions: EditionStore;
  subscribers: SubscriberStore;
  ledger: Ledger;
  /** Bounces and complaints per delivery (tidings bounces process). */
  deliveryEvents: DeliveryEventStore;
  scheduler: SchedulerStore;
  sources: SourceStateStore;
  /** What each source brought lately, for the source watchdog (rhythm, repeats, shrinking text). */
  sourceActivity: SourceActivityReader;
  /** Full text of feed items' pages, by URL (fullText). */
  pages: PageCacheStore;
  /** Summaries a language model wrote, per article version, model and prompt (summaries.llm). */
  llmSummaries: LlmSummaryCacheStore;
  stats: StoreStats;
  /** Which editions are being sent now (one send per edition at a time). */
  sendLease: SendLease;
  /** Deliveries shared by `tidings worker` processes: PostgreSQL stores only (SQLite stays one process). */
  workQueue?: WorkQueue;
  /** The store's file (null in memory and for PostgreSQL): the outcome journal lives next to it. */
  file: string | null;
  audit: AuditLog;
  editors: EditorStore;
  /** The row /healthz writes: the store takes writes. */
  heartbeat: StoreHeartbeat;
  /** JSON API tokens and idempotency keys (src/web/api/). */
  api: ApiStore;
  /** Signed event notifications waiting for (or done with) their endpoints (src/webhooks/). */
  webhooks: WebhookQueue;
  /** Aggregate clicks of newsletters with analytics: aggregate (no reader identity). */
  clicks: ClickStore;
  /** Used buttons of the approval email (each works once). */
  approvalLinks: ApprovalLinkStore;
  /** SQLite closes at once; PostgreSQL ends its pool (await it before the process exits). */
  close(): void | Promise<void>;
}
