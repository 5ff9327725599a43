import type { PgMigration } from '../pg-migrations.ts';

/**
 * An operator's decision on an ambiguous row (`tidings deliveries resolve`), the same
 * columns as SQLite's migration "ambiguous resolutions": kept after a resend, so a sent
 * edition still says who resolved what.
 */
export const AMBIGUOUS_RESOLUTIONS_SCHEMA: PgMigration = {
  version: 3,
  name: 'ambiguous resolutions',
  sql: `
    ALTER TABLE deliveries ADD COLUMN resolution TEXT;
    ALTER TABLE deliveries ADD COLUMN resolved_by TEXT;
    ALTER TABLE deliveries ADD COLUMN resolved_at TEXT;
  `,
};
