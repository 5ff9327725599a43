import type { PgMigration } from '../pg-migrations.ts';

/**
 * SQLite migration 14 in PostgreSQL: the heartbeat row /healthz writes, and the state of
 * each signup's confirmation mail (queued until a process has handed it to the server),
 * with the same names and columns.
 */
export const HEALTH_AND_SIGNUP_MAIL_SCHEMA: PgMigration = {
  version: 6,
  name: 'store heartbeat and queued signup mail (webops)',
  sql: `
    CREATE TABLE store_heartbeats (
      name TEXT PRIMARY KEY,
      at TEXT NOT NULL
    );
    ALTER TABLE signup_requests ADD COLUMN mail_status TEXT NOT NULL DEFAULT 'sent';
    ALTER TABLE signup_requests ADD COLUMN mail_claimed_at TEXT;
    CREATE INDEX signup_requests_mail ON signup_requests (mail_status, id);
  `,
};
