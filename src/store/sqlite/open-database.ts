import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TidingsError } from '../../core/errors.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * How long a writer waits for another connection's write transaction (store.busyTimeout).
   * SQLite sleeps and retries inside this budget, so a second ingest or an ingest beside a
   * send waits its turn instead of failing with "database is locked".
   */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** Opens (creating if needed) a SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS, options: OpenDatabaseOptions = {}): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file);
    // First, so that switching to WAL and migrating also wait for another process.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Suppressions store address hashes: queries compare with the same function in SQL.
    db.function('tidings_address_hash', { deterministic: true }, (email: unknown) => addressHash(String(email)));
    migrate(db, migrations);
  } catch (error) {
    db?.close();
    throw new TidingsError('STORE_FAILED', `cannot open the store: ${(error as Error).message}`, { where: file, cause: error });
  }
  return db;
}

/**
 * Each migration in its own write transaction that re-reads the version inside it, so two
 * processes opening a new file at once apply each migration once.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= version()) continue;
    db.transaction(() => {
      if (migration.version <= version()) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
