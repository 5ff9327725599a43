import type { AuditEntry } from '../../editions/audit-log.ts';

/** The audit_log table as both stores (SQLite and PostgreSQL) hold it, and its one mapping. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  newsletter_id: string | null;
  edition_id: string | null;
  /** JSON of the entry's details. */
  details: string;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    newsletterId: row.newsletter_id,
    editionId: row.edition_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}
