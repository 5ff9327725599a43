import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { TidingsError } from '../../core/errors.ts';
import type { ApiStore, ApiTokenRecord, IdempotencyReservation } from '../../access/api-store.ts';

/**
 * What an API token may do. `send` is apart from `editions:write`: an integration that
 * curates drafts cannot mail the whole list unless it was given that too.
 */
export const API_SCOPES = [
  'subscribers:read',
  'subscribers:write',
  'editions:read',
  'editions:write',
  'send',
  'sources:read',
  'sources:write',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** An `Idempotency-Key` answers the same for this long; then the key may be used again. */
export const IDEMPOTENCY_LIFETIME_MS = 24 * 3_600_000;

const TOKEN_PREFIX = 'tdg_';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** SHA-256 of the whole token, hex: all the store keeps. A token has 256 random bits, so no slow hash is needed. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token as `token list` shows it: never the token or its hash. */
export interface ApiTokenSummary {
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const summary = ({ name, scopes, createdAt, lastUsedAt, revokedAt }: ApiTokenRecord): ApiTokenSummary => ({
  name,
  scopes,
  createdAt,
  lastUsedAt,
  revokedAt,
});

/**
 * API tokens (`tidings token create|list|revoke`, and the API's bearer check) and the
 * idempotency keys of its POST requests: one app module over the store's API port.
 */
export class ApiAccess {
  constructor(
    private readonly store: ApiStore,
    private readonly clock: Clock,
  ) {}

  /** Creates a token and returns it: the only time it is ever shown. */
  async create(name: string, scopes: readonly string[]): Promise<{ token: string; summary: ApiTokenSummary }> {
    if (!NAME_PATTERN.test(name))
      throw new TidingsError('INPUT_INVALID', 'a token name is 1-64 letters, digits, dots, dashes or underscores', {
        where: 'NAME',
      });
    if (scopes.length === 0)
      throw new TidingsError('INPUT_INVALID', `give at least one --scope (${API_SCOPES.join(', ')})`, {
        where: 'scope',
      });
    const unknown = scopes.find((scope) => !(API_SCOPES as readonly string[]).includes(scope));
    if (unknown)
      throw new TidingsError('INPUT_INVALID', `unknown scope "${unknown}" (one of ${API_SCOPES.join(', ')})`, {
        where: 'scope',
      });
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const record = await this.store.createToken({
      name,
      tokenHash: hashApiToken(token),
      scopes: [...new Set(scopes)],
      at: this.clock.now(),
    });
    if (!record)
      throw new TidingsError(
        'INPUT_INVALID',
        `a token named "${name}" exists: revoke it first or choose another name`,
        {
          where: 'NAME',
        },
      );
    return { token, summary: summary(record) };
  }

  async list(): Promise<ApiTokenSummary[]> {
    return (await this.store.listTokens()).map(summary);
  }

  /** False when no live token has that name. */
  revoke(name: string): Promise<boolean> {
    return this.store.revokeToken(name, this.clock.now());
  }

  /** The live token a bearer value names (its use recorded), or null: unknown, malformed or revoked. */
  async authenticate(bearer: string): Promise<ApiTokenRecord | null> {
    if (!bearer.startsWith(TOKEN_PREFIX) || bearer.length > 100) return null;
    const record = await this.store.findTokenByHash(hashApiToken(bearer));
    if (!record || record.revokedAt !== null) return null;
    await this.store.recordTokenUse(record.id, this.clock.now());
    return record;
  }

  /** Claims an idempotency key for a request of this token (see ApiStore.reserveIdempotencyKey). */
  reserve(tokenId: number, key: string, requestHash: string): Promise<IdempotencyReservation> {
    const at = this.clock.now();
    return this.store.reserveIdempotencyKey(
      { tokenId, key, requestHash, at },
      new Date(at.getTime() - IDEMPOTENCY_LIFETIME_MS),
    );
  }

  complete(tokenId: number, key: string, response: { status: number; body: string }): Promise<void> {
    return this.store.completeIdempotencyKey(tokenId, key, response);
  }

  release(tokenId: number, key: string): Promise<void> {
    return this.store.releaseIdempotencyKey(tokenId, key);
  }
}
