import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgDatabase } from '../../src/store/postgres/pg-database.ts';
import { migratePg } from '../../src/store/postgres/pg-migrations.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-schema.ts';

/**
 * PostgreSQL for tests: `.ci/run` starts a cluster and exports TIDINGS_TEST_PG_URL (a
 * superuser URL); each suite gets a database of its own, dropped afterwards. Without the
 * variable the PostgreSQL half of a contract suite is skipped, and says so.
 */
export const PG_TEST_URL = process.env.TIDINGS_TEST_PG_URL ?? null;

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'tidings_test'): Promise<TestDatabase> {
  if (!PG_TEST_URL) throw new Error('TIDINGS_TEST_PG_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_TEST_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_TEST_URL! });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A database of its own with the current schema, opened: what most PostgreSQL tests start
 * from. Closing and dropping are pushed onto `cleanups` (run last-in, first-out).
 * `beforeOpen` runs on the new database first (e.g. relaxing commits for a crash test).
 */
export async function openMigratedTestDatabase(
  prefix: string,
  cleanups: (() => Promise<unknown> | unknown)[],
  beforeOpen?: (url: string) => Promise<void>,
): Promise<{ db: PgDatabase; url: string }> {
  const database = await createTestDatabase(prefix);
  cleanups.push(() => database.drop());
  await beforeOpen?.(database.url);
  const db = new PgDatabase(database.url);
  cleanups.push(() => db.close());
  await migratePg(db, PG_MIGRATIONS);
  return { db, url: database.url };
}
