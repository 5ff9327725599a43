// pgdelivery: placeholder so that open-postgres-store.ts typechecks; the pgdelivery branch replaces this file.
import type { SchedulerStore } from '../../schedule/scheduler-store.ts';
import type { PgDatabase } from './pg-database.ts';
import { placeholderPort } from './pg-port-placeholder.ts';

export interface PgSchedulerStore extends SchedulerStore {}
export class PgSchedulerStore {
  constructor(_db: PgDatabase) {
    return placeholderPort<PgSchedulerStore>('scheduler');
  }
}
