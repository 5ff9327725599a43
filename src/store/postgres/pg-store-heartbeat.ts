import type { StoreHeartbeat } from '../../core/store-health.ts';
import type { PgDatabase } from './pg-database.ts';

/** The heartbeat row in PostgreSQL (schema/health-and-signup-mail.ts): a write and a read in one statement. */
export class PgStoreHeartbeat implements StoreHeartbeat {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async beat(name: string, at: Date): Promise<Date> {
    const { rows } = await this.#db.query<{ at: string }>(
      'INSERT INTO store_heartbeats (name, at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET at = EXCLUDED.at RETURNING at',
      [name, at.toISOString()],
    );
    return new Date(rows[0]!.at);
  }
}
