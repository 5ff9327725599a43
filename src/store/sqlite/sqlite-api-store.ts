import type { ApiStore, ApiTokenRecord, IdempotencyReservation } from '../../access/api-store.ts';
import { toApiToken, toIdempotencyRecord, type ApiTokenRow, type IdempotencyRow } from '../rows/api-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/** API tokens and idempotency keys in the embedded store (migration 18). */
export class SqliteApiStore implements ApiStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async createToken(token: {
    name: string;
    tokenHash: string;
    scopes: readonly string[];
    at: Date;
  }): Promise<ApiTokenRecord | null> {
    const row = this.#db
      .prepare<[string, string, string, string], ApiTokenRow>(
        `INSERT INTO api_tokens (name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING RETURNING *`,
      )
      .get(token.name, token.tokenHash, JSON.stringify(token.scopes), token.at.toISOString());
    return row ? toApiToken(row) : null;
  }

  async findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = this.#db.prepare<[string], ApiTokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash);
    return row ? toApiToken(row) : null;
  }

  async listTokens(): Promise<ApiTokenRecord[]> {
    return this.#db.prepare<[], ApiTokenRow>('SELECT * FROM api_tokens ORDER BY name, id').all().map(toApiToken);
  }

  async revokeToken(name: string, at: Date): Promise<boolean> {
    const result = this.#db
      .prepare('UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL')
      .run(at.toISOString(), name);
    return result.changes > 0;
  }

  async recordTokenUse(id: number, at: Date): Promise<void> {
    this.#db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at.toISOString(), id);
  }

  async reserveIdempotencyKey(
    record: { tokenId: number; key: string; requestHash: string; at: Date },
    expiredBefore: Date,
  ): Promise<IdempotencyReservation> {
    return this.#db.transaction((): IdempotencyReservation => {
      this.#db.prepare('DELETE FROM api_idempotency_keys WHERE created_at < ?').run(expiredBefore.toISOString());
      const inserted = this.#db
        .prepare(
          `INSERT INTO api_idempotency_keys (token_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
        )
        .run(record.tokenId, record.key, record.requestHash, record.at.toISOString());
      if (inserted.changes > 0) return { reserved: true };
      const row = this.#db
        .prepare<[number, string], IdempotencyRow>('SELECT * FROM api_idempotency_keys WHERE token_id = ? AND key = ?')
        .get(record.tokenId, record.key)!;
      return { reserved: false, existing: toIdempotencyRecord(row) };
    })();
  }

  async completeIdempotencyKey(
    tokenId: number,
    key: string,
    response: { status: number; body: string },
  ): Promise<void> {
    this.#db
      .prepare('UPDATE api_idempotency_keys SET status = ?, body = ? WHERE token_id = ? AND key = ?')
      .run(response.status, response.body, tokenId, key);
  }

  async releaseIdempotencyKey(tokenId: number, key: string): Promise<void> {
    this.#db.prepare('DELETE FROM api_idempotency_keys WHERE token_id = ? AND key = ?').run(tokenId, key);
  }
}
