/**
 * What the JSON API keeps in the store (src/web/api/): bearer tokens, stored as SHA-256
 * hashes only, and the responses of POST requests sent with an `Idempotency-Key`, so a
 * retry gets the first answer instead of doing the work twice. Implemented by
 * store/sqlite and store/postgres; one contract suite (tests/store/contract/api) runs on both.
 */

/** One API token; the token itself is never stored, only its hash. */
export interface ApiTokenRecord {
  id: number;
  /** Unique among live (unrevoked) tokens; a revoked token's name may be given again. */
  name: string;
  tokenHash: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A POST answered (status and JSON body), or still running when `status` is null. */
export interface IdempotencyRecord {
  tokenId: number;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused (422). */
  requestHash: string;
  status: number | null;
  body: string | null;
  createdAt: string;
}

export type IdempotencyReservation = { reserved: true } | { reserved: false; existing: IdempotencyRecord };

export interface ApiStore {
  /** Null when a live token already has this name. */
  createToken(token: {
    name: string;
    tokenHash: string;
    scopes: readonly string[];
    at: Date;
  }): Promise<ApiTokenRecord | null>;
  /** The token with this hash, revoked or not (the caller decides). */
  findTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** Every token, revoked ones too, by name then id. */
  listTokens(): Promise<ApiTokenRecord[]>;
  /** Revokes the live token of that name; false when there is none. */
  revokeToken(name: string, at: Date): Promise<boolean>;
  recordTokenUse(id: number, at: Date): Promise<void>;
  /**
   * Claims (token, key) for a request, after deleting records created before `expiredBefore`.
   * When the pair is taken, gives the stored record instead (answered, or still running).
   */
  reserveIdempotencyKey(
    record: { tokenId: number; key: string; requestHash: string; at: Date },
    expiredBefore: Date,
  ): Promise<IdempotencyReservation>;
  /** Stores the answer of a reserved request. */
  completeIdempotencyKey(tokenId: number, key: string, response: { status: number; body: string }): Promise<void>;
  /** Frees a reservation whose request failed on our side (5xx): a retry runs again. */
  releaseIdempotencyKey(tokenId: number, key: string): Promise<void>;
}
