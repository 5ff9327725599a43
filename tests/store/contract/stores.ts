import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import { PgDatabase } from '../../../src/store/postgres/pg-database.ts';
import { migratePg } from '../../../src/store/postgres/pg-migrations.ts';
import { PG_MIGRATIONS } from '../../../src/store/postgres/pg-schema.ts';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';

/** An empty store of one implementation, and how to let go of it. */
export interface OpenedStore {
  store: Store;
  close(): Promise<void>;
}

/** What a contract suite receives: each call gives an empty store. */
export type OpenStore = () => Promise<OpenedStore>;

/** A new SQLite file per call, in a temporary folder removed after each test. */
export function sqliteStores(): OpenStore {
  const tempDir = useTempDir('tidings-contract-');
  return async () => {
    const store = openSqliteStore(path.join(tempDir(), 'tidings.db'));
    return { store, close: async () => void store.close() };
  };
}

/**
 * One PostgreSQL database per suite (createTestDatabase), migrated once; each call empties
 * every table (identities restarted) and opens a store on it. Call inside a describe so
 * that the database is made and dropped with it.
 */
export function postgresStores(): OpenStore {
  let database: TestDatabase;
  let admin: PgDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('tidings_contract');
    admin = new PgDatabase(database.url);
    await migratePg(admin, PG_MIGRATIONS);
  });
  afterAll(async () => {
    await admin?.close();
    await database?.drop();
  });
  return async () => {
    await emptyDatabase(admin);
    // Migrated once in beforeAll: each test skips the migration check.
    const store = await openPostgresStore(database.url, { maxConnections: 4, migrate: false });
    return { store, close: async () => void (await store.close()) };
  };
}

/**
 * Deletes every row and restarts every identity. DELETE with foreign-key triggers off
 * (the test role is a superuser) takes milliseconds where TRUNCATE takes most of a second.
 */
async function emptyDatabase(admin: PgDatabase): Promise<void> {
  await admin.transaction(async (tx) => {
    const { rows: tables } = await tx.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'tidings_schema'`,
    );
    const { rows: sequences } = await tx.query<{ name: string }>(
      `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public'`,
    );
    await tx.query('SET LOCAL session_replication_role = replica');
    for (const table of tables) await tx.query(`DELETE FROM "${table.name}"`);
    for (const sequence of sequences) await tx.query(`SELECT setval('"${sequence.name}"', 1, false)`);
  });
}

/** The store of the current test: opened empty before each test, closed after it. */
export function useStore(open: OpenStore): () => Store {
  let opened: OpenedStore | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error('no store outside a test');
    return opened.store;
  };
}
