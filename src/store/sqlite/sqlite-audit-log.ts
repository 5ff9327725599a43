import type { AuditEntry, AuditLog } from '../../editions/audit-log.ts';
import type { SqliteDatabase } from './open-database.ts';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  newsletter_id: string | null;
  edition_id: string | null;
  details: string;
}

export class SqliteAuditLog implements AuditLog {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    this.#db
      .prepare('INSERT INTO audit_log (at, actor, action, newsletter_id, edition_id, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.at, entry.actor, entry.action, entry.newsletterId, entry.editionId, JSON.stringify(entry.details));
  }

  async list(query: { editionId?: string; limit?: number }): Promise<AuditEntry[]> {
    const where = query.editionId ? 'WHERE edition_id = ?' : '';
    const params: unknown[] = query.editionId ? [query.editionId] : [];
    return this.#db
      .prepare<unknown[], AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ${Math.floor(query.limit ?? 200)}`)
      .all(...params)
      .map((row) => ({
        id: row.id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        newsletterId: row.newsletter_id,
        editionId: row.edition_id,
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
  }
}
