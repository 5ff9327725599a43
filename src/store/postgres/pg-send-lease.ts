// pgdelivery: placeholder so that open-postgres-store.ts typechecks; the pgdelivery branch replaces this file.
import type { SendLease } from '../../delivery/send-lease.ts';
import type { PgDatabase } from './pg-database.ts';
import { placeholderPort } from './pg-port-placeholder.ts';

export interface PgSendLease extends SendLease {}
export class PgSendLease {
  constructor(_db: PgDatabase) {
    return placeholderPort<PgSendLease>('sendLease');
  }
}
