import path from 'node:path';
import { describe } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.ts';
import { createTestDatabase, PG_TEST_URL } from '../../helpers/postgres.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';
import { apiStoreContract } from './api.contract.ts';

describe('SQLite', () => {
  const tempDir = useTempDir('tidings-contract-');
  apiStoreContract('SQLite', async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const [one, two] = [openSqliteStore(file), openSqliteStore(file)];
    return {
      api: one.api,
      other: two.api,
      close: async () => {
        two.close();
        one.close();
      },
    };
  });
});

describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => {
  apiStoreContract('PostgreSQL', async () => {
    const database = await createTestDatabase('tidings_contract');
    const one = await openPostgresStore(database.url, { maxConnections: 2 });
    const two = await openPostgresStore(database.url, { maxConnections: 2, migrate: false });
    return {
      api: one.api,
      other: two.api,
      close: async () => {
        await two.close();
        await one.close();
        await database.drop();
      },
    };
  });
});
