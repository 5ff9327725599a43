/** An account of the editor desk. */
export type EditorRole = 'editor' | 'admin';

export interface Editor {
  id: number;
  name: string;
  email: string;
  role: EditorRole;
  passwordHash: string;
  failedLogins: number;
  /** ISO time until which logins are refused, or null. */
  lockedUntil: string | null;
  createdAt: string;
}

export interface DeskSession {
  editorId: number;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
}

/** Accounts and sessions of the desk, owned by the desk's app layer. Session ids are stored hashed. */
export interface EditorStore {
  addEditor(editor: Omit<Editor, 'id' | 'failedLogins' | 'lockedUntil'>): Promise<Editor>;
  /** By name or email (case-insensitive). */
  findEditor(nameOrEmail: string): Promise<Editor | null>;
  getEditor(id: number): Promise<Editor | null>;
  listEditors(): Promise<Editor[]>;
  /** Removes the account and its sessions. */
  removeEditor(id: number): Promise<void>;
  /** A new password ends every session of the account and lifts a lockout. */
  setPassword(id: number, passwordHash: string): Promise<void>;
  /** Counts one failed login; locks the account until `lockUntil` when given. */
  recordFailedLogin(id: number, lockUntil: string | null): Promise<number>;
  clearFailedLogins(id: number): Promise<void>;
  createSession(idHash: string, session: DeskSession): Promise<void>;
  getSession(idHash: string): Promise<DeskSession | null>;
  touchSession(idHash: string, at: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
}
