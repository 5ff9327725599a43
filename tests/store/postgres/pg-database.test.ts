import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase, redactUrl } from '../../../src/store/postgres/pg-database.ts';
import { migratePg } from '../../../src/store/postgres/pg-migrations.ts';
import { PG_TEST_URL, createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';

describe('redactUrl', () => {
  it('drops the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:s3cret@db.example:5433/news')).toBe('postgres://app@db.example:5433/news');
  });
});

describe.skipIf(!PG_TEST_URL)('PgDatabase (PostgreSQL at TIDINGS_TEST_PG_URL)', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = new PgDatabase(database.url);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('commits a transaction whole, and rolls one back whole when it throws', async () => {
    await db.query('CREATE TABLE t (n INTEGER PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1)');
      await tx.query('INSERT INTO t VALUES (2)');
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (3)');
        await tx.query('INSERT INTO t VALUES (1)'); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await db.query<{ n: number }>('SELECT n FROM t ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  });

  it('applies migrations once, even when two processes start at the same time', async () => {
    const other = new PgDatabase(database.url);
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE m1 (x INTEGER)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE m2 (x INTEGER)' },
    ];
    const applied = await Promise.all([migratePg(db, migrations), migratePg(other, migrations)]);
    await other.close();
    expect(applied.sort()).toEqual([0, 2]);
    expect(await migratePg(db, migrations)).toBe(0);
  });
});
