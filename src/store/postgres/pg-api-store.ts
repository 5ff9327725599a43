import type { ApiStore, ApiTokenRecord, IdempotencyReservation } from '../../access/api-store.ts';
import { toApiToken, toIdempotencyRecord, type ApiTokenRow, type IdempotencyRow } from '../rows/api-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** API tokens and idempotency keys in PostgreSQL (schema/api.ts). */
export class PgApiStore implements ApiStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async createToken(token: {
    name: string;
    tokenHash: string;
    scopes: readonly string[];
    at: Date;
  }): Promise<ApiTokenRecord | null> {
    const { rows } = await this.#db.query<ApiTokenRow>(
      `INSERT INTO api_tokens (name, token_hash, scopes, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING *`,
      [token.name, token.tokenHash, JSON.stringify(token.scopes), token.at.toISOString()],
    );
    return rows[0] ? toApiToken(rows[0]) : null;
  }

  async findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const { rows } = await this.#db.query<ApiTokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [tokenHash]);
    return rows[0] ? toApiToken(rows[0]) : null;
  }

  async listTokens(): Promise<ApiTokenRecord[]> {
    const { rows } = await this.#db.query<ApiTokenRow>('SELECT * FROM api_tokens ORDER BY name, id');
    return rows.map(toApiToken);
  }

  async revokeToken(name: string, at: Date): Promise<boolean> {
    const result = await this.#db.query(
      'UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL',
      [at.toISOString(), name],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async recordTokenUse(id: number, at: Date): Promise<void> {
    await this.#db.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at.toISOString(), id]);
  }

  async reserveIdempotencyKey(
    record: { tokenId: number; key: string; requestHash: string; at: Date },
    expiredBefore: Date,
  ): Promise<IdempotencyReservation> {
    return this.#db.transaction(async (tx): Promise<IdempotencyReservation> => {
      await tx.query('DELETE FROM api_idempotency_keys WHERE created_at < $1', [expiredBefore.toISOString()]);
      const inserted = await tx.query(
        `INSERT INTO api_idempotency_keys (token_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [record.tokenId, record.key, record.requestHash, record.at.toISOString()],
      );
      if ((inserted.rowCount ?? 0) > 0) return { reserved: true };
      const { rows } = await tx.query<IdempotencyRow>(
        'SELECT * FROM api_idempotency_keys WHERE token_id = $1 AND key = $2',
        [record.tokenId, record.key],
      );
      return { reserved: false, existing: toIdempotencyRecord(rows[0]!) };
    });
  }

  async completeIdempotencyKey(
    tokenId: number,
    key: string,
    response: { status: number; body: string },
  ): Promise<void> {
    await this.#db.query('UPDATE api_idempotency_keys SET status = $1, body = $2 WHERE token_id = $3 AND key = $4', [
      response.status,
      response.body,
      tokenId,
      key,
    ]);
  }

  async releaseIdempotencyKey(tokenId: number, key: string): Promise<void> {
    await this.#db.query('DELETE FROM api_idempotency_keys WHERE token_id = $1 AND key = $2', [tokenId, key]);
  }
}
