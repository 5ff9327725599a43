import type { PgMigration } from '../pg-migrations.ts';

const T = 'TEXT COLLATE "C"';

/** Desk login failures by (account, client address): sqlite migration "desk login throttles". */
export const LOGIN_THROTTLES_SCHEMA: PgMigration = {
  version: 4,
  name: 'desk login throttles',
  sql: `
    CREATE TABLE login_throttles (
      editor_id INTEGER NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
      address ${T} NOT NULL,
      failures INTEGER NOT NULL,
      blocked_until ${T},
      last_failure_at ${T} NOT NULL,
      PRIMARY KEY (editor_id, address)
    );
  `,
};
