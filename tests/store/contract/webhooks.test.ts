import path from 'node:path';
import { describe } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.ts';
import { createTestDatabase, PG_TEST_URL } from '../../helpers/postgres.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';
import { webhookQueueContract } from './webhooks.contract.ts';

describe('SQLite', () => {
  const tempDir = useTempDir('tidings-contract-');
  webhookQueueContract('SQLite', async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const store = openSqliteStore(file);
    const other = openSqliteStore(file);
    return {
      store,
      other,
      close: async () => {
        other.close();
        store.close();
      },
    };
  });
});

describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => {
  webhookQueueContract('PostgreSQL', async () => {
    const database = await createTestDatabase('tidings_contract');
    const store = await openPostgresStore(database.url, { maxConnections: 2 });
    const other = await openPostgresStore(database.url, { maxConnections: 2 });
    return {
      store,
      other,
      close: async () => {
        await other.close();
        await store.close();
        await database.drop();
      },
    };
  });
});
