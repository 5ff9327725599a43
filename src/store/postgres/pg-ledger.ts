// pgdelivery: placeholder so that open-postgres-store.ts typechecks; the pgdelivery branch replaces this file.
import type { Ledger } from '../../delivery/ledger.ts';
import type { PgDatabase } from './pg-database.ts';
import { placeholderPort } from './pg-port-placeholder.ts';

export interface PgLedger extends Ledger {}
export class PgLedger {
  constructor(_db: PgDatabase) {
    return placeholderPort<PgLedger>('ledger');
  }
}
