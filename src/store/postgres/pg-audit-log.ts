import type { AuditEntry, AuditLog } from '../../editions/audit-log.ts';
import { toAuditEntry, type AuditRow } from '../rows/audit-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** Append-only; ids come from an identity column, so "newest first" is by id as in SQLite. */
export class PgAuditLog implements AuditLog {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.#db.query(
      'INSERT INTO audit_log (at, actor, action, newsletter_id, edition_id, details) VALUES ($1, $2, $3, $4, $5, $6)',
      [entry.at, entry.actor, entry.action, entry.newsletterId, entry.editionId, JSON.stringify(entry.details)],
    );
  }

  async list(query: { editionId?: string; limit?: number }): Promise<AuditEntry[]> {
    const where = query.editionId ? 'WHERE edition_id = $1' : '';
    const params: unknown[] = query.editionId ? [query.editionId] : [];
    const { rows } = await this.#db.query<AuditRow>(
      `SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ${Math.floor(query.limit ?? 200)}`,
      params,
    );
    return rows.map(toAuditEntry);
  }
}
