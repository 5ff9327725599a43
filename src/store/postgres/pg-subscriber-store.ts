// pgdelivery: placeholder so that open-postgres-store.ts typechecks; the pgdelivery branch replaces this file.
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';
import type { PgDatabase } from './pg-database.ts';
import { placeholderPort } from './pg-port-placeholder.ts';

export interface PgSubscriberStore extends SubscriberStore {}
export class PgSubscriberStore {
  constructor(_db: PgDatabase) {
    return placeholderPort<PgSubscriberStore>('subscribers');
  }
}
