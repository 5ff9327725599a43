import type { PgMigration } from '../pg-migrations.ts';

/** SQLite migration 27 in PostgreSQL: the cadence a reader chose on the signup form (NULL: the default). */
export const SIGNUP_CADENCE_SCHEMA: PgMigration = {
  version: 15,
  name: 'cadence chosen at signup',
  sql: 'ALTER TABLE signup_requests ADD COLUMN cadence TEXT;',
};
