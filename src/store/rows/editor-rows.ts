import type { Editor, LoginThrottle } from '../../editors/editor-store.ts';

/** The editors table as both stores (SQLite and PostgreSQL) hold it, and its one mapping. */
export interface EditorRow {
  id: number;
  name: string;
  email: string;
  role: Editor['role'];
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

export const toEditor = (row: EditorRow): Editor => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  passwordHash: row.password_hash,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
  createdAt: row.created_at,
});

export interface LoginThrottleRow {
  editor_id: number;
  address: string;
  failures: number;
  blocked_until: string | null;
  last_failure_at: string;
}

export const toLoginThrottle = (row: LoginThrottleRow): LoginThrottle => ({
  editorId: Number(row.editor_id),
  address: row.address,
  failures: Number(row.failures),
  blockedUntil: row.blocked_until,
  lastFailureAt: row.last_failure_at,
});
