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

/**
 * Failed logins of one account from one client address (desk-auth.ts): a stranger's
 * failures slow down only the address they come from, never the owner's.
 */
export interface LoginThrottle {
  editorId: number;
  address: string;
  /** Failed logins in a row from this address (a successful login from it clears them). */
  failures: number;
  /** ISO time until which this address may not log in to this account, or null. */
  blockedUntil: string | null;
  lastFailureAt: string;
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
  /** A new password ends every session of the account and lifts its lockouts (every address). */
  setPassword(id: number, passwordHash: string): Promise<void>;
  /** Counts one failed login; locks the account until `lockUntil` when given. */
  recordFailedLogin(id: number, lockUntil: string | null): Promise<number>;
  clearFailedLogins(id: number): Promise<void>;
  /** Counts one failed login of the account from the address; returns the new count. */
  recordLoginFailure(editorId: number, address: string, at: string): Promise<number>;
  /** Blocks the address for the account until `until` (ISO). */
  blockLogin(editorId: number, address: string, until: string): Promise<void>;
  getLoginThrottle(editorId: number, address: string): Promise<LoginThrottle | null>;
  /** Every throttle row, by account id then address. */
  listLoginThrottles(): Promise<LoginThrottle[]>;
  /** Forgets the failures of the account (from one address, or from all); returns how many rows went. */
  clearLoginThrottles(editorId: number, address?: string): Promise<number>;
  createSession(idHash: string, session: DeskSession): Promise<void>;
  getSession(idHash: string): Promise<DeskSession | null>;
  touchSession(idHash: string, at: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
}
