import type { PgMigration } from '../pg-migrations.ts';

const T = 'TEXT COLLATE "C"';

/** Aggregate clicks and used approval-email buttons: sqlite migration "aggregate clicks and single-use approval links". */
export const SIGNAL_SCHEMA: PgMigration = {
  version: 10,
  name: 'aggregate clicks and single-use approval links',
  sql: `
    CREATE TABLE click_counts (
      edition_id ${T} NOT NULL,
      newsletter_id ${T} NOT NULL,
      slot_utc ${T} NOT NULL,
      article_id ${T} NOT NULL,
      section ${T} NOT NULL,
      source ${T} NOT NULL,
      clicks INTEGER NOT NULL DEFAULT 0,
      filtered INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (edition_id, article_id, section)
    );
    CREATE INDEX click_counts_slot ON click_counts (slot_utc);
    CREATE TABLE approval_links_used (
      token_hash ${T} PRIMARY KEY,
      edition_id ${T} NOT NULL,
      action ${T} NOT NULL,
      editor ${T} NOT NULL,
      used_at ${T} NOT NULL
    );
  `,
};
