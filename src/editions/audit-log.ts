/** One recorded action: who did what, when, to which edition, with details. */
export interface AuditEntry {
  id: number;
  at: string;
  /** An editor's name, or `cli` (or `--by`) for commands run in a terminal. */
  actor: string;
  /** A verb such as `pin`, `approve`, `login`, `editor.add`. */
  action: string;
  newsletterId: string | null;
  editionId: string | null;
  details: Record<string, unknown>;
}

/** The audit part of the store; append-only. */
export interface AuditLog {
  record(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first. */
  list(query: { editionId?: string; limit?: number }): Promise<AuditEntry[]>;
}
