import { isHttpUrl } from '../core/http-url.ts';

/**
 * Two forms of an article URL. The canonical form (no tracking parameters, fragment,
 * default port or trailing slash; host lower-cased; parameters sorted) exists only to
 * recognise the same story: it makes the article id and nothing else. The link form is
 * what is stored and linked: the URL as the source gave it, minus tracking parameters,
 * because `/story/` and `/story` are different resources to many servers.
 */
function isTrackingParam(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'igshid',
  'yclid',
  '_hsenc',
  '_hsmi',
  'ref',
  'ref_src',
  'ref_url',
  'cmpid',
  'ito',
  'ocid',
  'smid',
  'sr_share',
  'at_medium',
  'at_campaign',
  'guccounter',
]);

/** Returns the canonical URL, or null when the value is not an http(s) URL. */
export function canonicalizeUrl(value: string | null | undefined): string | null {
  if (!isHttpUrl(value)) return null;
  const url = new URL(value);
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443'))
    url.port = '';
  const kept = [...url.searchParams.entries()].filter(([key]) => !isTrackingParam(key));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.slice(0, -1);
  return url.toString();
}

/**
 * The URL to store and link, or null when it is not http(s): as given (path, trailing
 * slash, parameter order and encoding, fragment), with tracking parameters removed.
 * The URL parser still serialises it, so spaces and the like come out percent-encoded.
 */
export function linkUrl(value: string | null | undefined): string | null {
  if (!isHttpUrl(value)) return null;
  const url = new URL(value);
  if (url.search) {
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParam(decodeParamName(pair.split('=')[0]!)));
    url.search = kept.length ? `?${kept.join('&')}` : '';
  }
  return url.toString();
}

function decodeParamName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
