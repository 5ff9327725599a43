import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed subscriber links: the token names the subscriber, the newsletter and what
 * the link may do, and carries an HMAC-SHA256 over that (base64url), so the web
 * pages can trust it without a lookup table.
 */
export type TokenPurpose = 'unsubscribe' | 'preferences';

export interface SubscriberTokenClaims {
  subscriberId: number;
  newsletterId: string;
  purpose: TokenPurpose;
}

const PURPOSE_CODE: Record<TokenPurpose, string> = { unsubscribe: 'u', preferences: 'p' };
const CODE_PURPOSE: Record<string, TokenPurpose> = { u: 'unsubscribe', p: 'preferences' };

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** `<payload>.<signature>`, both base64url; the payload is `purpose:subscriberId:newsletterId`. */
export function signSubscriberToken(claims: SubscriberTokenClaims, secret: string): string {
  const payload = `${PURPOSE_CODE[claims.purpose]}:${claims.subscriberId}:${claims.newsletterId}`;
  const encoded = Buffer.from(payload, 'utf8').toString('base64url');
  return `${encoded}.${mac(encoded, secret).toString('base64url')}`;
}

/** The claims of a valid token, or null for anything forged, truncated or malformed. */
export function verifySubscriberToken(token: string, secret: string): SubscriberTokenClaims | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const encoded = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(encoded, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const match = /^([up]):(\d+):([a-z0-9][a-z0-9-]*)$/.exec(Buffer.from(encoded, 'base64url').toString('utf8'));
  if (!match) return null;
  return { purpose: CODE_PURPOSE[match[1]!]!, subscriberId: Number(match[2]), newsletterId: match[3]! };
}

export interface SubscriberUrls {
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** The edition in a browser: `/e/<edition id>`. */
  viewUrl: string;
}

/** Builds the three links of one message; paths are the web app's (`/u/…`, `/p/…`, `/e/…`). */
export function buildSubscriberUrls(
  baseUrl: string,
  tokens: { unsubscribe: string; preferences: string },
  editionId: string,
): SubscriberUrls {
  const base = baseUrl.replace(/\/+$/, '');
  const edition = editionId.split('/').map(encodeURIComponent).join('/');
  return {
    unsubscribeUrl: `${base}/u/${tokens.unsubscribe}`,
    preferencesUrl: `${base}/p/${tokens.preferences}`,
    viewUrl: `${base}/e/${edition}`,
  };
}

/** Convenience for the engine: signs both tokens for one subscriber and builds the links. */
export function createSubscriberLinks(options: { baseUrl: string; secret: string; newsletterId: string; editionId: string }) {
  return (subscriberId: number): SubscriberUrls =>
    buildSubscriberUrls(
      options.baseUrl,
      {
        unsubscribe: signSubscriberToken({ subscriberId, newsletterId: options.newsletterId, purpose: 'unsubscribe' }, options.secret),
        preferences: signSubscriberToken({ subscriberId, newsletterId: options.newsletterId, purpose: 'preferences' }, options.secret),
      },
      options.editionId,
    );
}
