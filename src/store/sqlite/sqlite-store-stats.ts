import type { StoreStats } from '../../core/store-health.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteStoreStats implements StoreStats {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      editions: db.prepare('SELECT status, COUNT(*) AS n FROM editions GROUP BY status'),
      deliveries: db.prepare('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status'),
    };
  }

  async editionsByStatus(): Promise<Record<string, number>> {
    return toRecord(this.statements.editions.all() as { status: string; n: number }[]);
  }

  async deliveriesByStatus(): Promise<Record<string, number>> {
    return toRecord(this.statements.deliveries.all() as { status: string; n: number }[]);
  }
}

function toRecord(rows: readonly { status: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}
