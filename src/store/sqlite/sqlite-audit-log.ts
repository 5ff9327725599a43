import type { AuditEntry, AuditLog } from '../../editions/audit-log.ts';
import { toAuditEntry, type AuditRow } from '../rows/audit-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteAuditLog implements AuditLog {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO audit_log (at, actor, action, newsletter_id, edition_id, details) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(entry.at, entry.actor, entry.action, entry.newsletterId, entry.editionId, JSON.stringify(entry.details));
  }

  async list(query: { editionId?: string; limit?: number }): Promise<AuditEntry[]> {
    const where = query.editionId ? 'WHERE edition_id = ?' : '';
    const params: unknown[] = query.editionId ? [query.editionId] : [];
    return this.#db
      .prepare<unknown[], AuditRow>(
        `SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ${Math.floor(query.limit ?? 200)}`,
      )
      .all(...params)
      .map(toAuditEntry);
  }
}
