import type { DeskSession, Editor, EditorStore, LoginThrottle } from '../../editors/editor-store.ts';
import { toEditor, toLoginThrottle, type EditorRow, type LoginThrottleRow } from '../rows/editor-rows.ts';
import type { PgDatabase } from './pg-database.ts';

export class PgEditorStore implements EditorStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async addEditor(editor: Omit<Editor, 'id' | 'failedLogins' | 'lockedUntil'>): Promise<Editor> {
    const { rows } = await this.#db.query<EditorRow>(
      'INSERT INTO editors (name, email, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [editor.name, editor.email.toLowerCase(), editor.role, editor.passwordHash, editor.createdAt],
    );
    return toEditor(rows[0]!);
  }

  async findEditor(nameOrEmail: string): Promise<Editor | null> {
    // Names match whatever their case (sqlite: COLLATE NOCASE); emails are stored lower-cased.
    const { rows } = await this.#db.query<EditorRow>(
      'SELECT * FROM editors WHERE lower(name) = lower($1) OR email = lower($1) ORDER BY id LIMIT 1',
      [nameOrEmail],
    );
    return rows[0] ? toEditor(rows[0]) : null;
  }

  async getEditor(id: number): Promise<Editor | null> {
    const { rows } = await this.#db.query<EditorRow>('SELECT * FROM editors WHERE id = $1', [id]);
    return rows[0] ? toEditor(rows[0]) : null;
  }

  async listEditors(): Promise<Editor[]> {
    const { rows } = await this.#db.query<EditorRow>('SELECT * FROM editors ORDER BY name');
    return rows.map(toEditor);
  }

  async removeEditor(id: number): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query('DELETE FROM desk_sessions WHERE editor_id = $1', [id]);
      await tx.query('DELETE FROM login_throttles WHERE editor_id = $1', [id]);
      await tx.query('DELETE FROM editors WHERE id = $1', [id]);
    });
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query('UPDATE editors SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2', [
        passwordHash,
        id,
      ]);
      await tx.query('DELETE FROM desk_sessions WHERE editor_id = $1', [id]);
      await tx.query('DELETE FROM login_throttles WHERE editor_id = $1', [id]);
    });
  }

  async recordFailedLogin(id: number, lockUntil: string | null): Promise<number> {
    // One statement returns the new count: two failed logins at once count two.
    const { rows } = await this.#db.query<{ failed_logins: number }>(
      'UPDATE editors SET failed_logins = failed_logins + 1, locked_until = COALESCE($1, locked_until) WHERE id = $2 RETURNING failed_logins',
      [lockUntil, id],
    );
    return rows[0]?.failed_logins ?? 0;
  }

  async clearFailedLogins(id: number): Promise<void> {
    await this.#db.query('UPDATE editors SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
  }

  async recordLoginFailure(editorId: number, address: string, at: string): Promise<number> {
    const { rows } = await this.#db.query<{ failures: number }>(
      `INSERT INTO login_throttles (editor_id, address, failures, last_failure_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (editor_id, address) DO UPDATE SET failures = login_throttles.failures + 1, last_failure_at = excluded.last_failure_at
       RETURNING failures`,
      [editorId, address, at],
    );
    return rows[0]?.failures ?? 0;
  }

  async blockLogin(editorId: number, address: string, until: string): Promise<void> {
    await this.#db.query('UPDATE login_throttles SET blocked_until = $1 WHERE editor_id = $2 AND address = $3', [
      until,
      editorId,
      address,
    ]);
  }

  async getLoginThrottle(editorId: number, address: string): Promise<LoginThrottle | null> {
    const { rows } = await this.#db.query<LoginThrottleRow>(
      'SELECT * FROM login_throttles WHERE editor_id = $1 AND address = $2',
      [editorId, address],
    );
    return rows[0] ? toLoginThrottle(rows[0]) : null;
  }

  async listLoginThrottles(): Promise<LoginThrottle[]> {
    const { rows } = await this.#db.query<LoginThrottleRow>(
      'SELECT * FROM login_throttles ORDER BY editor_id, address',
    );
    return rows.map(toLoginThrottle);
  }

  async clearLoginThrottles(editorId: number, address?: string): Promise<number> {
    const { rowCount } =
      address === undefined
        ? await this.#db.query('DELETE FROM login_throttles WHERE editor_id = $1', [editorId])
        : await this.#db.query('DELETE FROM login_throttles WHERE editor_id = $1 AND address = $2', [
            editorId,
            address,
          ]);
    return rowCount ?? 0;
  }

  async createSession(idHash: string, session: DeskSession): Promise<void> {
    await this.#db.query(
      'INSERT INTO desk_sessions (id_hash, editor_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)',
      [idHash, session.editorId, session.csrfToken, session.createdAt, session.lastSeenAt],
    );
  }

  async getSession(idHash: string): Promise<DeskSession | null> {
    const { rows } = await this.#db.query<{
      editor_id: number;
      csrf_token: string;
      created_at: string;
      last_seen_at: string;
    }>('SELECT editor_id, csrf_token, created_at, last_seen_at FROM desk_sessions WHERE id_hash = $1', [idHash]);
    const row = rows[0];
    return row
      ? { editorId: row.editor_id, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt: row.last_seen_at }
      : null;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.#db.query('UPDATE desk_sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.query('DELETE FROM desk_sessions WHERE id_hash = $1', [idHash]);
  }
}
