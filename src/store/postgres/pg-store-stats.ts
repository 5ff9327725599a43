import type { StoreStats } from '../../core/store-health.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Counts over the content tables (schema/content.ts) and the ledger (`deliveries`, created
 * by schema/delivery.ts with the same name and columns as in SQLite).
 */
export class PgStoreStats implements StoreStats {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async editionsByStatus(): Promise<Record<string, number>> {
    return this.#count('SELECT status, COUNT(*)::int AS n FROM editions GROUP BY status');
  }

  async deliveriesByStatus(): Promise<Record<string, number>> {
    return this.#count('SELECT status, COUNT(*)::int AS n FROM deliveries GROUP BY status');
  }

  async #count(sql: string): Promise<Record<string, number>> {
    const { rows } = await this.#db.query<{ status: string; n: number }>(sql);
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }
}
