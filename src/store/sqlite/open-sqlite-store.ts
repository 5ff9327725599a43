import path from 'node:path';
import type { Store } from '../store.ts';
import { guardStoreErrors } from './guard-store-errors.ts';
import { MIGRATIONS } from './migrations.ts';
import { openDatabase, type OpenDatabaseOptions } from './open-database.ts';
import { SqliteApiStore } from './sqlite-api-store.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';
import { SqliteEditorStore } from './sqlite-editor-store.ts';
import { SqliteArticleStore } from './sqlite-article-store.ts';
import { SqliteDeliveryEventStore } from './sqlite-delivery-events.ts';
import { SqliteEditionStore } from './sqlite-edition-store.ts';
import { SqliteLedger } from './sqlite-ledger.ts';
import { SqliteLlmSummaryCacheStore } from './sqlite-llm-summary-cache-store.ts';
import { SqliteSchedulerStore } from './sqlite-scheduler-store.ts';
import { SqlitePageCacheStore } from './sqlite-page-cache-store.ts';
import { SqliteSourceStateStore } from './sqlite-source-state-store.ts';
import { SqliteSourceActivity } from './sqlite-source-activity.ts';
import { SqliteStoreStats } from './sqlite-store-stats.ts';
import { SqliteStoreHeartbeat } from './sqlite-store-heartbeat.ts';
import { SqliteSendLease } from './sqlite-send-lease.ts';
import { SqliteApprovalLinkStore, SqliteClickStore } from './sqlite-signal-stores.ts';
import { SqliteSubscriberStore } from './sqlite-subscriber-store.ts';
import { SqliteWebhookQueue } from './sqlite-webhook-queue.ts';

/**
 * The embedded store: one SQLite file in WAL mode. Errors from the driver leave it as
 * STORE_FAILED TidingsErrors (src/store/sqlite/guard-store-errors.ts), so no SQLite type
 * or stack reaches the commands.
 */
export function openSqliteStore(file: string, options: OpenDatabaseOptions = {}): Store {
  const db = openDatabase(file, MIGRATIONS, options);
  return {
    articles: guardStoreErrors(new SqliteArticleStore(db), file),
    editions: guardStoreErrors(new SqliteEditionStore(db), file),
    subscribers: guardStoreErrors(new SqliteSubscriberStore(db), file, new Set(['beginSync'])),
    ledger: guardStoreErrors(new SqliteLedger(db), file),
    deliveryEvents: guardStoreErrors(new SqliteDeliveryEventStore(db), file),
    sources: guardStoreErrors(new SqliteSourceStateStore(db), file),
    pages: guardStoreErrors(new SqlitePageCacheStore(db), file),
    llmSummaries: guardStoreErrors(new SqliteLlmSummaryCacheStore(db), file),
    stats: guardStoreErrors(new SqliteStoreStats(db), file),
    sourceActivity: guardStoreErrors(new SqliteSourceActivity(db), file),
    sendLease: guardStoreErrors(new SqliteSendLease(db), file),
    file: file === ':memory:' ? null : path.resolve(file),
    scheduler: guardStoreErrors(new SqliteSchedulerStore(db), file),
    audit: guardStoreErrors(new SqliteAuditLog(db), file),
    editors: guardStoreErrors(new SqliteEditorStore(db), file),
    heartbeat: guardStoreErrors(new SqliteStoreHeartbeat(db), file),
    api: guardStoreErrors(new SqliteApiStore(db), file),
    webhooks: guardStoreErrors(new SqliteWebhookQueue(db), file),
    clicks: guardStoreErrors(new SqliteClickStore(db), file),
    approvalLinks: guardStoreErrors(new SqliteApprovalLinkStore(db), file),
    close: () => void db.close(),
  };
}
