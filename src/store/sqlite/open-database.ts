import { closeSync, linkSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
  /**
   * Refuse every write after the schema is up to date (PRAGMA query_only), as a store on a
   * read-only disk would. Tests use it: they run as root, where a read-only file mode
   * does not stop writes.
   */
  queryOnly?: boolean;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/** Every SQLite database file starts with these 16 bytes. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * An existing file must be a SQLite database: SQLite itself would take a 0-byte file
 * (a truncated copy, a full disk, a botched restore) as a new, empty database and a
 * fresh schema would silently replace the ledger and the subscribers it held.
 */
function checkExistingFile(file: string): 'missing' | 'database' {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const refuse = (what: string) =>
    new TidingsError(
      'STORE_FAILED',
      `cannot open the store: ${what}: restore it from a backup, or move it away to start a new store here`,
      { where: file },
    );
  if (size === 0) throw refuse('the file is empty (0 bytes), not a Tidings store');
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw refuse('file is not a database (no SQLite header)');
  return 'database';
}

/**
 * A new store file appears whole: made under a temporary name (header written, WAL on) and
 * linked into place, so no other process ever sees it at 0 bytes. Another process that
 * linked first wins; its file is used.
 */
function createDatabaseFile(file: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  const fresh = new Database(temporary);
  try {
    fresh.pragma('journal_mode = WAL');
  } finally {
    fresh.close();
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Opens (creating if missing) a SQLite file in WAL mode and brings its schema up to date.
 * An existing file that is empty or not SQLite is refused (STORE_FAILED naming the path).
 */
export function openDatabase(
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  options: OpenDatabaseOptions = {},
): SqliteDatabase {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    try {
      if (checkExistingFile(file) === 'missing') createDatabaseFile(file);
    } catch (error) {
      if (error instanceof TidingsError) throw error;
      throw new TidingsError('STORE_FAILED', `cannot create the store: ${(error as Error).message}`, {
        where: file,
        cause: error,
      });
    }
  }
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file, { fileMustExist: file !== ':memory:' });
    // First, so that switching to WAL and migrating also wait for another process.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Suppressions store address hashes: queries compare with the same function in SQL.
    db.function('tidings_address_hash', { deterministic: true }, (email: unknown) => addressHash(String(email)));
    migrate(db, migrations);
    if (options.queryOnly) db.pragma('query_only = ON');
  } catch (error) {
    db?.close();
    throw new TidingsError('STORE_FAILED', `cannot open the store: ${(error as Error).message}`, {
      where: file,
      cause: error,
    });
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
