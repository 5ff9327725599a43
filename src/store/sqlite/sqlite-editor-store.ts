import type { DeskSession, Editor, EditorStore, LoginThrottle } from '../../editors/editor-store.ts';
import { toEditor, toLoginThrottle, type EditorRow, type LoginThrottleRow } from '../rows/editor-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteEditorStore implements EditorStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async addEditor(editor: Omit<Editor, 'id' | 'failedLogins' | 'lockedUntil'>): Promise<Editor> {
    const result = this.#db
      .prepare('INSERT INTO editors (name, email, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(editor.name, editor.email.toLowerCase(), editor.role, editor.passwordHash, editor.createdAt);
    return (await this.getEditor(Number(result.lastInsertRowid)))!;
  }

  async findEditor(nameOrEmail: string): Promise<Editor | null> {
    const row = this.#db
      .prepare<[string, string], EditorRow>('SELECT * FROM editors WHERE name = ? COLLATE NOCASE OR email = ? LIMIT 1')
      .get(nameOrEmail, nameOrEmail.toLowerCase());
    return row ? toEditor(row) : null;
  }

  async getEditor(id: number): Promise<Editor | null> {
    const row = this.#db.prepare<[number], EditorRow>('SELECT * FROM editors WHERE id = ?').get(id);
    return row ? toEditor(row) : null;
  }

  async listEditors(): Promise<Editor[]> {
    return this.#db.prepare<[], EditorRow>('SELECT * FROM editors ORDER BY name').all().map(toEditor);
  }

  async removeEditor(id: number): Promise<void> {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM desk_sessions WHERE editor_id = ?').run(id);
      this.#db.prepare('DELETE FROM login_throttles WHERE editor_id = ?').run(id);
      this.#db.prepare('DELETE FROM editors WHERE id = ?').run(id);
    })();
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE editors SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?')
        .run(passwordHash, id);
      this.#db.prepare('DELETE FROM desk_sessions WHERE editor_id = ?').run(id);
      this.#db.prepare('DELETE FROM login_throttles WHERE editor_id = ?').run(id);
    })();
  }

  async recordFailedLogin(id: number, lockUntil: string | null): Promise<number> {
    this.#db
      .prepare(
        'UPDATE editors SET failed_logins = failed_logins + 1, locked_until = COALESCE(?, locked_until) WHERE id = ?',
      )
      .run(lockUntil, id);
    return (await this.getEditor(id))?.failedLogins ?? 0;
  }

  async clearFailedLogins(id: number): Promise<void> {
    this.#db.prepare('UPDATE editors SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  async recordLoginFailure(editorId: number, address: string, at: string): Promise<number> {
    const row = this.#db
      .prepare<[number, string, string], { failures: number }>(
        `INSERT INTO login_throttles (editor_id, address, failures, last_failure_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (editor_id, address) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at
         RETURNING failures`,
      )
      .get(editorId, address, at);
    return row?.failures ?? 0;
  }

  async blockLogin(editorId: number, address: string, until: string): Promise<void> {
    this.#db
      .prepare('UPDATE login_throttles SET blocked_until = ? WHERE editor_id = ? AND address = ?')
      .run(until, editorId, address);
  }

  async getLoginThrottle(editorId: number, address: string): Promise<LoginThrottle | null> {
    const row = this.#db
      .prepare<[number, string], LoginThrottleRow>('SELECT * FROM login_throttles WHERE editor_id = ? AND address = ?')
      .get(editorId, address);
    return row ? toLoginThrottle(row) : null;
  }

  async listLoginThrottles(): Promise<LoginThrottle[]> {
    return this.#db
      .prepare<[], LoginThrottleRow>('SELECT * FROM login_throttles ORDER BY editor_id, address')
      .all()
      .map(toLoginThrottle);
  }

  async clearLoginThrottles(editorId: number, address?: string): Promise<number> {
    const result =
      address === undefined
        ? this.#db.prepare('DELETE FROM login_throttles WHERE editor_id = ?').run(editorId)
        : this.#db.prepare('DELETE FROM login_throttles WHERE editor_id = ? AND address = ?').run(editorId, address);
    return result.changes;
  }

  async createSession(idHash: string, session: DeskSession): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO desk_sessions (id_hash, editor_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(idHash, session.editorId, session.csrfToken, session.createdAt, session.lastSeenAt);
  }

  async getSession(idHash: string): Promise<DeskSession | null> {
    const row = this.#db
      .prepare<[string], { editor_id: number; csrf_token: string; created_at: string; last_seen_at: string }>(
        'SELECT editor_id, csrf_token, created_at, last_seen_at FROM desk_sessions WHERE id_hash = ?',
      )
      .get(idHash);
    return row
      ? { editorId: row.editor_id, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt: row.last_seen_at }
      : null;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    this.#db.prepare('UPDATE desk_sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.#db.prepare('DELETE FROM desk_sessions WHERE id_hash = ?').run(idHash);
  }
}
