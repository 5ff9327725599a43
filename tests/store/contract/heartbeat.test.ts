import path from 'node:path';
import { describe } from 'vitest';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.ts';
import { createTestDatabase, PG_TEST_URL } from '../../helpers/postgres.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';
import { storeHeartbeatContract } from './heartbeat.contract.ts';

describe('SQLite', () => {
  const tempDir = useTempDir('tidings-contract-');
  // Read-only through PRAGMA query_only (OpenDatabaseOptions.queryOnly): tests run as root,
  // where a file mode of 0444 does not stop writes.
  storeHeartbeatContract('SQLite', async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const store = openSqliteStore(file);
    const readOnly = openSqliteStore(file, { queryOnly: true });
    return {
      store,
      readOnly,
      close: async () => {
        readOnly.close();
        return store.close();
      },
    };
  });
});

describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => {
  // Read-only as a hot standby or a read-only role would be: every transaction read-only.
  storeHeartbeatContract('PostgreSQL', async () => {
    const database = await createTestDatabase('tidings_contract');
    const store = await openPostgresStore(database.url, { maxConnections: 2 });
    const url = new URL(database.url);
    url.searchParams.set('options', '-c default_transaction_read_only=on');
    const readOnly = await openPostgresStore(url.toString(), { maxConnections: 2, migrate: false });
    return {
      store,
      readOnly,
      close: async () => {
        await readOnly.close();
        await store.close();
        await database.drop();
      },
    };
  });
});
