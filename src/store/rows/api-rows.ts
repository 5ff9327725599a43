import type { ApiTokenRecord, IdempotencyRecord } from '../../access/api-store.ts';

/** A row of api_tokens (scopes as a JSON array), as both stores return it. */
export interface ApiTokenRow {
  id: number;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface IdempotencyRow {
  token_id: number;
  key: string;
  request_hash: string;
  status: number | null;
  body: string | null;
  created_at: string;
}

export function toApiToken(row: ApiTokenRow): ApiTokenRecord {
  return {
    id: Number(row.id),
    name: row.name,
    tokenHash: row.token_hash,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function toIdempotencyRecord(row: IdempotencyRow): IdempotencyRecord {
  return {
    tokenId: Number(row.token_id),
    key: row.key,
    requestHash: row.request_hash,
    status: row.status === null ? null : Number(row.status),
    body: row.body,
    createdAt: row.created_at,
  };
}
