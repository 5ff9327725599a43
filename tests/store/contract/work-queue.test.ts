import { describe } from 'vitest';
import { PgDatabase } from '../../../src/store/postgres/pg-database.ts';
import { PgLedger } from '../../../src/store/postgres/pg-ledger.ts';
import { migratePg } from '../../../src/store/postgres/pg-migrations.ts';
import { PG_MIGRATIONS } from '../../../src/store/postgres/pg-schema.ts';
import { PgSubscriberStore } from '../../../src/store/postgres/pg-subscriber-store.ts';
import { PgWorkQueue } from '../../../src/store/postgres/pg-work-queue.ts';
import { createTestDatabase, PG_TEST_URL } from '../../helpers/postgres.ts';
import { workQueueContract } from './work-queue.contract.ts';

// Workers run on PostgreSQL only (SQLite stays one process): this port has one implementation.
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  workQueueContract('PostgreSQL', async () => {
    const database = await createTestDatabase('tidings_queue');
    const dbs = [
      new PgDatabase(database.url, { maxConnections: 4 }),
      new PgDatabase(database.url, { maxConnections: 4 }),
    ];
    await migratePg(dbs[0]!, PG_MIGRATIONS);
    return {
      queue: new PgWorkQueue(dbs[0]!),
      otherQueue: new PgWorkQueue(dbs[1]!),
      ledger: new PgLedger(dbs[0]!),
      subscribers: new PgSubscriberStore(dbs[0]!),
      close: async () => {
        for (const db of dbs) await db.close();
        await database.drop();
      },
    };
  }),
);
