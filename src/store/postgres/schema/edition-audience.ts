import type { PgMigration } from '../pg-migrations.ts';

/**
 * The edition's audience, the counterpart of SQLite migration 14 (same columns): how many
 * readers it must reach, bounded by the largest subscriber id when its send started, and
 * how far queuing has come. See src/app/edition-queue.ts.
 */
export const EDITION_AUDIENCE_SCHEMA: PgMigration = {
  version: 5,
  name: 'edition audience (queued whole or visibly not)',
  sql: `
    ALTER TABLE editions ADD COLUMN audience_max_id BIGINT;
    ALTER TABLE editions ADD COLUMN audience_total INTEGER;
    ALTER TABLE editions ADD COLUMN queued_through BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE editions ADD COLUMN queue_held_by TEXT;
  `,
};
