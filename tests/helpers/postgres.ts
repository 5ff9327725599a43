import { randomBytes } from 'node:crypto';
import pg from 'pg';

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
