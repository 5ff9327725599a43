import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TidingsError } from '../../core/errors.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/** Opens (creating if needed) a SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    throw new TidingsError('STORE_FAILED', `cannot open the store: ${(error as Error).message}`, { where: file, cause: error });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Suppressions store address hashes: queries compare with the same function in SQL.
  db.function('tidings_address_hash', { deterministic: true }, (email: unknown) => addressHash(String(email)));
  migrate(db, migrations);
  return db;
}

export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
