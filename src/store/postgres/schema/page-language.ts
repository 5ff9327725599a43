import type { PgMigration } from '../pg-migrations.ts';

/** SQLite migration 25 in PostgreSQL: the declared language of a page fetched for full text. */
export const PAGE_LANGUAGE_SCHEMA: PgMigration = {
  version: 13,
  name: 'language of full-text pages',
  sql: 'ALTER TABLE page_cache ADD COLUMN language TEXT;',
};
