import { signPayload, verifiedPayload } from '../core/signed-payload.ts';
import { toHttpUrl } from '../core/http-url.ts';

/**
 * How article images appear in the digest (config `images`):
 * - `proxy`: `<web.baseUrl>/img/<token>`, where the token is the image's URL signed with
 *   the link secret. The article's site then sees Tidings fetch the image once, never
 *   which reader opened the email; the token names no subscriber (a segment is rendered
 *   once for all its readers).
 * - `direct`: the article's own image URL (http(s) only): its site sees every open.
 * - `none`: no article images at all.
 */
export type ImageMode = 'proxy' | 'direct' | 'none';

/** Turns an article's image URL (already reduced to http(s) or null) into what the email shows. */
export type ImageLinker = (imageUrl: string | null) => string | null;

/**
 * The longest image URL (UTF-8 bytes) a proxy link carries. The token is base64 of
 * `i:<url>` plus a 43-character signature, and the web server takes path segments of up
 * to 1000 characters (create-web-server.ts, maxParamLength): 700 bytes stay under it.
 */
export const MAX_PROXIED_URL_BYTES = 700;

/** Longest token `verifyImageToken` looks at (a little over what MAX_PROXIED_URL_BYTES yields). */
const MAX_TOKEN_LENGTH = 1000;

export function signImageToken(imageUrl: string, secret: string): string {
  return signPayload(`i:${imageUrl}`, secret);
}

/** The image URL a valid token carries, or null for anything forged, truncated, malformed or not http(s). */
export function verifyImageToken(token: string, secret: string): string | null {
  const payload = verifiedPayload(token, secret, MAX_TOKEN_LENGTH);
  if (payload === null || !payload.startsWith('i:')) return null;
  return toHttpUrl(payload.slice(2));
}

export interface ImageLinkOptions {
  mode: ImageMode;
  /** web.baseUrl (proxy mode). */
  baseUrl: string;
  /** The link secret; read only in proxy mode (it may be created on first use). */
  secret: () => string;
}

/**
 * The linker of one renderer. In proxy mode an image whose URL is too long for a token
 * is left out rather than linked directly: falling back to the site's URL would tell
 * the site who reads.
 */
export function createImageLinker(options: ImageLinkOptions): ImageLinker {
  if (options.mode === 'none') return () => null;
  if (options.mode === 'direct') return (imageUrl) => imageUrl;
  const base = options.baseUrl.replace(/\/+$/, '');
  let secret: string | undefined;
  return (imageUrl) => {
    if (imageUrl === null || Buffer.byteLength(imageUrl, 'utf8') > MAX_PROXIED_URL_BYTES) return null;
    secret ??= options.secret();
    return `${base}/img/${signImageToken(imageUrl, secret)}`;
  };
}
