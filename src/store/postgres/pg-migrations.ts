import type { PgDatabase } from './pg-database.ts';

/**
 * Versioned PostgreSQL schema, the counterpart of src/store/sqlite/migrations.ts (same
 * tables and columns, PostgreSQL types). Each migration runs once, in order, in its own
 * transaction, under an advisory lock so that several processes starting at once (workers)
 * migrate once. Areas: 1 content (articles, editions, audit, editors, sources, pages),
 * 2 delivery (subscribers, ledger, events, scheduler, leases). Keep the array in version order.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Any constant works; it only has to be the same in every Tidings process. */
const MIGRATION_LOCK_KEY = 7_142_061;

export async function migratePg(db: PgDatabase, migrations: readonly PgMigration[]): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS tidings_schema (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>(
      'SELECT COALESCE(MAX(version), 0) AS version FROM tidings_schema',
    );
    const current = rows[0]?.version ?? 0;
    let applied = 0;
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO tidings_schema (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied += 1;
    }
    return applied;
  });
}
