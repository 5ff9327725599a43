import type { StoreHeartbeat } from '../../core/store-health.ts';
import type { SqliteDatabase } from './open-database.ts';

/** The heartbeat row in the embedded store (migration 14): a write and a read in one statement. */
export class SqliteStoreHeartbeat implements StoreHeartbeat {
  constructor(private readonly db: SqliteDatabase) {}

  async beat(name: string, at: Date): Promise<Date> {
    const stored = this.db
      .prepare<[string, string], string>(
        'INSERT INTO store_heartbeats (name, at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET at = excluded.at RETURNING at',
      )
      .pluck()
      .get(name, at.toISOString())!;
    return new Date(stored);
  }
}
