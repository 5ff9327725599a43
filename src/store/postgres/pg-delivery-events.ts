// pgdelivery: placeholder so that open-postgres-store.ts typechecks; the pgdelivery branch replaces this file.
import type { DeliveryEventStore } from '../../delivery/delivery-events.ts';
import type { PgDatabase } from './pg-database.ts';
import { placeholderPort } from './pg-port-placeholder.ts';

export interface PgDeliveryEventStore extends DeliveryEventStore {}
export class PgDeliveryEventStore {
  constructor(_db: PgDatabase) {
    return placeholderPort<PgDeliveryEventStore>('deliveryEvents');
  }
}
