import { TidingsError, UsageError, describeError } from '../../core/errors.ts';
import type { PgDatabase, PgQueryable } from '../postgres/pg-database.ts';
import type { SqliteDatabase } from '../sqlite/open-database.ts';
import { STORE_TABLES, isDerivedSqliteTable } from './store-tables.ts';

export interface TableCopy {
  table: string;
  rows: number;
  /** Set when nothing was copied because the target has no such table (it had no rows either). */
  note?: string;
}

export interface CopyOptions {
  /** Empty the target's tables first instead of refusing a target that holds rows. */
  force?: boolean;
  /** Rows per INSERT statement (bounded by PostgreSQL's 65535 parameters). */
  batchRows?: number;
  /** Called after each table, for progress output. */
  onTable?: (copy: TableCopy) => void;
}

/**
 * Copies every table of a SQLite store into a PostgreSQL store whose schema is migrated:
 * in dependency order, in batches, inside ONE PostgreSQL transaction (a failure leaves the
 * target as it was), reading one SQLite snapshot (a read transaction), and checks each
 * table's row count on the target before committing. Identity sequences then continue
 * after the copied ids.
 */
export async function copySqliteToPostgres(
  source: SqliteDatabase,
  target: PgDatabase,
  options: CopyOptions = {},
): Promise<TableCopy[]> {
  const sqliteTables = new Set(
    source
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .all()
      .map((row) => row.name)
      .filter((name) => !isDerivedSqliteTable(name)),
  );
  const unknown = [...sqliteTables].filter((name) => !STORE_TABLES.includes(name));
  if (unknown.length) {
    throw new TidingsError(
      'STORE_FAILED',
      `the SQLite store has tables store copy does not know: ${unknown.join(', ')} (src/store/copy/store-tables.ts)`,
    );
  }
  const targetColumns = await columnsOf(target);
  const present = STORE_TABLES.filter((table) => targetColumns.has(table));
  const occupied = await occupiedTables(target, present);
  if (occupied.length && !options.force) {
    throw new UsageError(
      `the target already holds rows (${occupied.join(', ')}): pass --force to replace them, or copy into an empty database`,
    );
  }

  source.exec('BEGIN'); // one snapshot of the SQLite file for every table
  try {
    return await target.transaction(async (tx) => {
      if (options.force && present.length)
        await tx.query(`TRUNCATE ${present.map(quote).join(', ')} RESTART IDENTITY CASCADE`);
      const report: TableCopy[] = [];
      for (const table of STORE_TABLES) {
        if (!sqliteTables.has(table)) continue;
        const copy = await copyTable(source, tx, table, targetColumns.get(table), options.batchRows ?? 500);
        report.push(copy);
        options.onTable?.(copy);
      }
      await restartIdentities(tx, present);
      return report;
    });
  } finally {
    source.exec('COMMIT');
  }
}

async function copyTable(
  source: SqliteDatabase,
  tx: PgQueryable,
  table: string,
  targetColumns: Set<string> | undefined,
  batchRows: number,
): Promise<TableCopy> {
  const expected = source.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${quote(table)}`).get()!.n;
  if (!targetColumns) {
    if (expected === 0) return { table, rows: 0, note: 'no table on the target' };
    throw new TidingsError(
      'STORE_FAILED',
      `the target has no table ${table} for its ${expected} rows: is its schema complete?`,
    );
  }
  const columns = source
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
    .all(table)
    .map((c) => c.name);
  const missing = columns.filter((column) => !targetColumns.has(column));
  if (missing.length)
    throw new TidingsError('STORE_FAILED', `the target's ${table} has no column ${missing.join(', ')}`);
  // Rowid order keeps insertion order (blocks are listed in it, identities follow it); WITHOUT ROWID tables have none.
  const withRowid =
    source.prepare<[string], { wr: number }>('SELECT wr FROM pragma_table_list WHERE name = ?').get(table)?.wr === 0;
  const select = source
    .prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}${withRowid ? ' ORDER BY rowid' : ''}`)
    .raw();
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(60_000 / columns.length)));
  const insertPrefix = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES `;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (!batch.length) return;
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
    batch = [];
    await tx.query(insertPrefix + tuples.join(', '), params);
  };
  try {
    for (const row of select.iterate() as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length >= perBatch) await flush();
    }
    await flush();
  } catch (error) {
    throw new TidingsError('STORE_FAILED', `copying ${table}: ${describeError(error)}`, { cause: error });
  }
  const { rows } = await tx.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${quote(table)}`);
  if (rows[0]!.n !== expected) {
    throw new TidingsError(
      'STORE_FAILED',
      `copying ${table}: ${expected} rows read from SQLite, ${rows[0]!.n} on the target`,
    );
  }
  return { table, rows: expected };
}

/** Insertable columns per table (generated columns such as the search vector are left to PostgreSQL). */
async function columnsOf(db: PgQueryable): Promise<Map<string, Set<string>>> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_generated = 'NEVER'`,
  );
  const map = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = map.get(row.table_name) ?? new Set<string>();
    set.add(row.column_name);
    map.set(row.table_name, set);
  }
  return map;
}

async function occupiedTables(db: PgQueryable, tables: readonly string[]): Promise<string[]> {
  const occupied: string[] = [];
  for (const table of tables) {
    const { rows } = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(table)}) AS any`);
    if (rows[0]!.any) occupied.push(table);
  }
  return occupied;
}

/** Identity and serial columns continue after the largest copied id, so the next insert does not collide. */
async function restartIdentities(tx: PgQueryable, tables: readonly string[]): Promise<void> {
  const { rows } = await tx.query<{ table_name: string; column_name: string; sequence: string }>(
    `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS sequence
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])
       AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL`,
    [[...tables]],
  );
  for (const row of rows) {
    await tx.query(
      `SELECT setval($1, COALESCE((SELECT MAX(${quote(row.column_name)}) FROM ${quote(row.table_name)}), 0) + 1, false)`,
      [row.sequence],
    );
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
