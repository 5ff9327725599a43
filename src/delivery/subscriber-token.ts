import { createHmac, timingSafeEqual } from 'node:crypto';
import { signPayload, verifiedPayload } from '../core/signed-payload.ts';

/**
 * Signed subscriber links: the token names the subscriber, the newsletter and what
 * the link may do, and carries an HMAC-SHA256 over that (base64url), so the web
 * pages can trust it without a lookup table. Signatures are compared in constant time.
 *
 * Payloads (before base64url):
 * - `u:<subscriber>:<newsletter>[:<slot>]`: unsubscribe; the optional slot
 *   (`2026-11-28T07:00`) names the edition the link came in, so `tidings status` can
 *   count unsubscribes per edition. Never expires. An edition of a cadence stream
 *   (`world.weekly/…`) carries the stream too: `u:<subscriber>:world:.weekly/<slot>`; the
 *   newsletter stays the configured one, where the subscription is.
 * - `p:<subscriber>:<newsletter>`: preferences. Never expires.
 * - `c:<signup request>:<newsletter>:<expiry, unix seconds>`: signup confirmation.
 */
export type TokenPurpose = 'unsubscribe' | 'preferences';

export interface SubscriberTokenClaims {
  subscriberId: number;
  newsletterId: string;
  purpose: TokenPurpose;
  /** The edition whose message carried the link (unsubscribe tokens signed since schema v6). */
  editionId?: string;
}

export interface SignupTokenClaims {
  signupId: number;
  newsletterId: string;
  expiresAt: Date;
}

const PURPOSE_CODE: Record<TokenPurpose, string> = { unsubscribe: 'u', preferences: 'p' };
const CODE_PURPOSE: Record<string, TokenPurpose> = { u: 'unsubscribe', p: 'preferences' };
const SLUG = '[a-z0-9][a-z0-9-]*';
const SUBSCRIBER_PAYLOAD = new RegExp(
  `^([up]):(\\d{1,15}):(${SLUG})(?::(?:\\.(${SLUG})\\/)?(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}))?$`,
);
const EDITION_AFTER_NEWSLETTER = new RegExp(`^(\\.${SLUG})?\\/(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2})$`);
const SIGNUP_PAYLOAD = new RegExp(`^c:(\\d{1,15}):(${SLUG}):(\\d{1,12})$`);

/** `<payload>.<signature>`, both base64url. */
export function signSubscriberToken(claims: SubscriberTokenClaims, secret: string): string {
  let payload = `${PURPOSE_CODE[claims.purpose]}:${claims.subscriberId}:${claims.newsletterId}`;
  // The edition id after the newsletter: `/<slot>`, or `.<cadence>/<slot>` for a cadence stream's edition.
  const rest =
    claims.purpose === 'unsubscribe' && claims.editionId?.startsWith(claims.newsletterId)
      ? claims.editionId.slice(claims.newsletterId.length)
      : null;
  const edition = rest === null ? null : EDITION_AFTER_NEWSLETTER.exec(rest);
  if (edition) payload += edition[1] ? `:${edition[1]}/${edition[2]}` : `:${edition[2]}`;
  return signPayload(payload, secret);
}

/** The claims of a valid token, or null for anything forged, truncated or malformed. */
export function verifySubscriberToken(token: string, secret: string): SubscriberTokenClaims | null {
  const payload = verifiedPayload(token, secret);
  const match = payload === null ? null : SUBSCRIBER_PAYLOAD.exec(payload);
  if (!match) return null;
  const claims: SubscriberTokenClaims = {
    purpose: CODE_PURPOSE[match[1]!]!,
    subscriberId: Number(match[2]),
    newsletterId: match[3]!,
  };
  if (match[5]) claims.editionId = `${claims.newsletterId}${match[4] ? `.${match[4]}` : ''}/${match[5]}`;
  return claims;
}

export function signSignupToken(claims: SignupTokenClaims, secret: string): string {
  return signPayload(
    `c:${claims.signupId}:${claims.newsletterId}:${Math.floor(claims.expiresAt.getTime() / 1000)}`,
    secret,
  );
}

/** The claims of a valid confirmation token (expired or not: the caller compares with its clock). */
export function verifySignupToken(token: string, secret: string): SignupTokenClaims | null {
  const payload = verifiedPayload(token, secret);
  const match = payload === null ? null : SIGNUP_PAYLOAD.exec(payload);
  if (!match) return null;
  return { signupId: Number(match[1]), newsletterId: match[2]!, expiresAt: new Date(Number(match[3]) * 1000) };
}

/**
 * The key of a non-public edition's view-online link (`/e/<edition>?k=<key>`): an HMAC of
 * the edition id alone, the same for every reader, so it names nobody. Without it the
 * page of a newsletter that is not public answers 404 (slot ids are easy to guess).
 */
export function signEditionView(editionId: string, secret: string): string {
  return createHmac('sha256', secret).update(`view:${editionId}`).digest().subarray(0, 16).toString('base64url');
}

/** Constant-time check of a view-online key; anything malformed is false. */
export function verifyEditionView(editionId: string, key: unknown, secret: string): boolean {
  if (typeof key !== 'string' || key.length > 64) return false;
  const given = Buffer.from(key, 'utf8');
  const expected = Buffer.from(signEditionView(editionId, secret), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `/e/<edition id>` with each part percent-encoded, plus `?k=` when a view key is given. */
export function editionViewPath(editionId: string, viewKey?: string): string {
  const path = `/e/${editionId.split('/').map(encodeURIComponent).join('/')}`;
  return viewKey ? `${path}?k=${viewKey}` : path;
}

export interface SubscriberUrls {
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** The edition in a browser: `/e/<edition id>`. */
  viewUrl: string;
  /** The signed unsubscribe token itself, for the mailto form of List-Unsubscribe. */
  unsubscribeToken?: string;
}

/** Builds the three links of one message; paths are the web app's (`/u/…`, `/p/…`, `/e/…`, keyed when `viewKey` is given). */
export function buildSubscriberUrls(
  baseUrl: string,
  tokens: { unsubscribe: string; preferences: string },
  editionId: string,
  viewKey?: string,
): SubscriberUrls {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    unsubscribeUrl: `${base}/u/${tokens.unsubscribe}`,
    preferencesUrl: `${base}/p/${tokens.preferences}`,
    viewUrl: `${base}${editionViewPath(editionId, viewKey)}`,
  };
}

/** Convenience for the engine: signs both tokens for one subscriber and builds the links. */
export function createSubscriberLinks(options: {
  baseUrl: string;
  secret: string;
  newsletterId: string;
  editionId: string;
  signView?: boolean;
}) {
  const viewKey = options.signView ? signEditionView(options.editionId, options.secret) : undefined;
  return (subscriberId: number): SubscriberUrls => {
    const unsubscribe = signSubscriberToken(
      { subscriberId, newsletterId: options.newsletterId, purpose: 'unsubscribe', editionId: options.editionId },
      options.secret,
    );
    const preferences = signSubscriberToken(
      { subscriberId, newsletterId: options.newsletterId, purpose: 'preferences' },
      options.secret,
    );
    return {
      ...buildSubscriberUrls(options.baseUrl, { unsubscribe, preferences }, options.editionId, viewKey),
      unsubscribeToken: unsubscribe,
    };
  };
}
