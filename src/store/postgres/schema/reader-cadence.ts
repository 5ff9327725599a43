import type { PgMigration } from '../pg-migrations.ts';

/**
 * SQLite migration 26 in PostgreSQL: a reader's cadence within one newsletter (issue 26).
 * `next_cadence_after` is ISO text like the table's other times (`updated_at`), so both
 * stores compare it with the slot the same way.
 */
export const READER_CADENCE_SCHEMA: PgMigration = {
  version: 14,
  name: 'reader cadence',
  sql: `
    ALTER TABLE subscriptions ADD COLUMN cadence TEXT;
    ALTER TABLE subscriptions ADD COLUMN next_cadence TEXT;
    ALTER TABLE subscriptions ADD COLUMN next_cadence_after TEXT;
    ALTER TABLE subscriptions ADD COLUMN cadence_origin TEXT NOT NULL DEFAULT 'file';
  `,
};
