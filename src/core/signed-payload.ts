import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 signed payloads for links that the web pages must trust without a lookup
 * table. Signatures are compared in constant time.
 */
function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** `<base64url payload>.<base64url HMAC>`: subscriber links (src/delivery/subscriber-token.ts) and image links (src/render/image-links.ts). */
export function signPayload(payload: string, secret: string): string {
  const encoded = Buffer.from(payload, 'utf8').toString('base64url');
  return `${encoded}.${mac(encoded, secret).toString('base64url')}`;
}

/**
 * The signed payload text, or null for anything forged, truncated or malformed. Every
 * kind of token starts its payload with its own letter (`u:`, `p:`, `c:`, `i:`), so a
 * token of one kind is never accepted as another.
 */
export function verifiedPayload(token: string, secret: string, maxLength = 512): string | null {
  if (typeof token !== 'string' || token.length > maxLength) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const encoded = token.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(encoded, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(encoded, 'base64url').toString('utf8');
}
