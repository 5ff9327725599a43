import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DeliveryEventStore } from '../../../src/delivery/delivery-events.ts';
import type { Ledger } from '../../../src/delivery/ledger.ts';
import type { SendLease } from '../../../src/delivery/send-lease.ts';
import type { SchedulerStore } from '../../../src/schedule/scheduler-store.ts';
import { PgDatabase } from '../../../src/store/postgres/pg-database.ts';
import { PgDeliveryEventStore } from '../../../src/store/postgres/pg-delivery-events.ts';
import { PgLedger } from '../../../src/store/postgres/pg-ledger.ts';
import { migratePg } from '../../../src/store/postgres/pg-migrations.ts';
import { PG_MIGRATIONS } from '../../../src/store/postgres/pg-schema.ts';
import { PgSchedulerStore } from '../../../src/store/postgres/pg-scheduler-store.ts';
import { PgSendLease } from '../../../src/store/postgres/pg-send-lease.ts';
import { PgSubscriberStore } from '../../../src/store/postgres/pg-subscriber-store.ts';
import { MIGRATIONS } from '../../../src/store/sqlite/migrations.ts';
import { openDatabase } from '../../../src/store/sqlite/open-database.ts';
import { SqliteDeliveryEventStore } from '../../../src/store/sqlite/sqlite-delivery-events.ts';
import { SqliteLedger } from '../../../src/store/sqlite/sqlite-ledger.ts';
import { SqliteSchedulerStore } from '../../../src/store/sqlite/sqlite-scheduler-store.ts';
import { SqliteSendLease } from '../../../src/store/sqlite/sqlite-send-lease.ts';
import { SqliteSubscriberStore } from '../../../src/store/sqlite/sqlite-subscriber-store.ts';
import type { SubscriberStore } from '../../../src/subscribers/subscriber-store.ts';
import { createTestDatabase } from '../../helpers/postgres.ts';

/** The delivery side of a store, as one process sees it. */
export interface DeliveryPorts {
  subscribers: SubscriberStore;
  ledger: Ledger;
  events: DeliveryEventStore;
  scheduler: SchedulerStore;
  sendLease: SendLease;
}

/** What a contract suite opens per test: the ports, the same store seen by a second process (`other`), and close. */
export interface OpenedPorts extends DeliveryPorts {
  other: DeliveryPorts;
  close(): Promise<void>;
}

export type OpenPorts = () => Promise<OpenedPorts>;

/** A fresh SQLite file, opened twice (two connections, as two processes would have). */
export async function openSqlitePorts(): Promise<OpenedPorts> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-contract-'));
  const file = path.join(dir, 'store.db');
  const dbs = [openDatabase(file, MIGRATIONS), openDatabase(file, MIGRATIONS)];
  const ports = dbs.map((db) => ({
    subscribers: new SqliteSubscriberStore(db),
    ledger: new SqliteLedger(db),
    events: new SqliteDeliveryEventStore(db),
    scheduler: new SqliteSchedulerStore(db),
    sendLease: new SqliteSendLease(db),
  }));
  return {
    ...ports[0]!,
    other: ports[1]!,
    close: async () => {
      for (const db of dbs) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh PostgreSQL database (TIDINGS_TEST_PG_URL), migrated, with two pools on it. */
export async function openPgPorts(): Promise<OpenedPorts> {
  const database = await createTestDatabase('tidings_contract');
  const dbs = [
    new PgDatabase(database.url, { maxConnections: 4 }),
    new PgDatabase(database.url, { maxConnections: 4 }),
  ];
  await migratePg(dbs[0]!, PG_MIGRATIONS);
  const ports = dbs.map((db) => ({
    subscribers: new PgSubscriberStore(db),
    ledger: new PgLedger(db),
    events: new PgDeliveryEventStore(db),
    scheduler: new PgSchedulerStore(db),
    sendLease: new PgSendLease(db),
  }));
  return {
    ...ports[0]!,
    other: ports[1]!,
    close: async () => {
      for (const db of dbs) await db.close();
      await database.drop();
    },
  };
}
