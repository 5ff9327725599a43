/**
 * Every table of the store, parents before children (foreign keys), with the same name
 * and columns in SQLite (src/store/sqlite/migrations.ts) and PostgreSQL
 * (src/store/postgres/schema/). `tidings store copy` moves them in this order and refuses
 * a SQLite file with a table missing here, so a new migration cannot be left behind
 * silently: add its tables here too.
 */
export const STORE_TABLES: readonly string[] = [
  // content (schema/content.ts)
  'articles',
  'article_categories',
  'summary_cache',
  'editions',
  'edition_articles',
  'newsletter_blocks',
  'editors',
  'desk_sessions',
  'login_throttles',
  'audit_log',
  'source_fetch_state',
  'page_cache',
  'llm_summary_cache',
  // delivery (schema/delivery.ts)
  'subscribers',
  'subscriptions',
  'deliveries',
  'received_articles',
  'delivery_events',
  'send_leases',
  'suppressions',
  'signup_requests',
  'unsubscribe_events',
  'scheduler_lease',
  'schedule_events',
  'scheduler_state',
  // health (schema/health-and-signup-mail.ts)
  'store_heartbeats',
  // json api (schema/api.ts)
  'api_tokens',
  'api_idempotency_keys',
  // webhooks (schema/webhooks.ts)
  'webhook_deliveries',
  // editors' signal (schema/signal.ts)
  'click_counts',
  'approval_links_used',
];

/** SQLite's own tables and the full-text index (rebuilt by PostgreSQL from the articles themselves). */
export function isDerivedSqliteTable(name: string): boolean {
  return name.startsWith('sqlite_') || name === 'articles_fts' || name.startsWith('articles_fts_');
}
