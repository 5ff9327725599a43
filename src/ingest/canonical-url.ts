import { isHttpUrl } from '../core/http-url.ts';

/**
 * Canonical form of an article URL, so the same story linked with tracking
 * parameters, a fragment or a different host case gets the same id.
 */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', 'yclid', '_hsenc', '_hsmi',
  'ref', 'ref_src', 'ref_url', 'cmpid', 'ito', 'ocid', 'smid', 'sr_share', 'at_medium', 'at_campaign', 'guccounter',
]);

/** Returns the canonical URL, or null when the value is not an http(s) URL. */
export function canonicalizeUrl(value: string | null | undefined): string | null {
  if (!isHttpUrl(value)) return null;
  const url = new URL(value);
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) url.port = '';
  const kept = [...url.searchParams.entries()].filter(
    ([key]) => !key.toLowerCase().startsWith('utm_') && !TRACKING_PARAMS.has(key.toLowerCase()),
  );
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.slice(0, -1);
  return url.toString();
}
