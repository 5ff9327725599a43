import { TidingsError, isTidingsError } from '../../core/errors.ts';
import { guardStoreErrors, toStoreError } from '../sqlite/guard-store-errors.ts';
import type { Store } from '../store.ts';
import { PgArticleStore } from './pg-article-store.ts';
import { PgAuditLog } from './pg-audit-log.ts';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.ts';
import { PgEditionStore } from './pg-edition-store.ts';
import { PgEditorStore } from './pg-editor-store.ts';
import { migratePg } from './pg-migrations.ts';
import { PG_MIGRATIONS } from './pg-schema.ts';
import { PgLlmSummaryCacheStore } from './pg-llm-summary-cache-store.ts';
import { PgPageCacheStore } from './pg-page-cache-store.ts';
import { PgSourceStateStore } from './pg-source-state-store.ts';
import { PgSourceActivity } from './pg-source-activity.ts';
import { PgStoreStats } from './pg-store-stats.ts';
import { PgStoreHeartbeat } from './pg-store-heartbeat.ts';
import { PgApprovalLinkStore, PgClickStore } from './pg-signal-stores.ts';
// The delivery area's ports, and the queue `tidings worker` processes share.
import { PgSubscriberStore } from './pg-subscriber-store.ts';
import { PgLedger } from './pg-ledger.ts';
import { PgDeliveryEventStore } from './pg-delivery-events.ts';
import { PgApiStore } from './pg-api-store.ts';
import { PgSchedulerStore } from './pg-scheduler-store.ts';
import { PgSendLease } from './pg-send-lease.ts';
import { PgWorkQueue } from './pg-work-queue.ts';
import { PgWebhookQueue } from './pg-webhook-queue.ts';

export interface OpenPostgresStoreOptions extends PgDatabaseOptions {
  /** Apply pending migrations (default true); `tidings store copy` checks the target first. */
  migrate?: boolean;
}

/**
 * The networked store: one PostgreSQL database behind a connection pool, schema brought
 * up to date under an advisory lock (several processes may start at once). Driver errors
 * leave as STORE_FAILED TidingsErrors naming the URL without its password.
 */
export async function openPostgresStore(
  url: string,
  options: OpenPostgresStoreOptions = {},
): Promise<Store & { db: PgDatabase }> {
  const db = new PgDatabase(url, options);
  try {
    if (options.migrate !== false) await migratePg(db, PG_MIGRATIONS);
  } catch (error) {
    await db.close().catch(() => {});
    if (isTidingsError(error)) throw error;
    const wrapped = toStoreError(error, db.where) as TidingsError;
    // As the SQLite store says it: where, then why (without the password), retryable when the server was only unreachable.
    throw new TidingsError('STORE_FAILED', `cannot open the store: ${wrapped.message.slice(db.where.length + 2)}`, {
      where: db.where,
      retryable: wrapped.retryable,
      cause: error,
    });
  }
  const where = db.where;
  const ledger = new PgLedger(db);
  return {
    db,
    articles: guardStoreErrors(new PgArticleStore(db), where),
    editions: guardStoreErrors(new PgEditionStore(db), where),
    sources: guardStoreErrors(new PgSourceStateStore(db), where),
    pages: guardStoreErrors(new PgPageCacheStore(db), where),
    llmSummaries: guardStoreErrors(new PgLlmSummaryCacheStore(db), where),
    stats: guardStoreErrors(new PgStoreStats(db), where),
    sourceActivity: guardStoreErrors(new PgSourceActivity(db), where),
    audit: guardStoreErrors(new PgAuditLog(db), where),
    editors: guardStoreErrors(new PgEditorStore(db), where),
    heartbeat: guardStoreErrors(new PgStoreHeartbeat(db), where),
    api: guardStoreErrors(new PgApiStore(db), where),
    clicks: guardStoreErrors(new PgClickStore(db), where),
    approvalLinks: guardStoreErrors(new PgApprovalLinkStore(db), where),
    subscribers: guardStoreErrors(new PgSubscriberStore(db), where, new Set(['beginSync'])),
    ledger: guardStoreErrors(ledger, where),
    deliveryEvents: guardStoreErrors(new PgDeliveryEventStore(db), where),
    scheduler: guardStoreErrors(new PgSchedulerStore(db), where),
    sendLease: guardStoreErrors(new PgSendLease(db), where),
    // The same ordered writes as the ledger: a worker's in-flight mark commits with its last acceptance.
    workQueue: guardStoreErrors(new PgWorkQueue(db, ledger.writes), where),
    webhooks: guardStoreErrors(new PgWebhookQueue(db), where),
    // No file: the outcome journal lives in the data folder instead (src/app/context.ts).
    file: null,
    close: () => db.close(),
  };
}
