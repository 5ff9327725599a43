/**
 * The URL as it may appear in a log: signed tokens (unsubscribe, preferences and
 * confirmation links) are replaced by `[token]` and the query string is dropped, so
 * the log never holds a link that acts for a reader.
 */
const TOKEN_PATHS: RegExp[] = [/^(\/[up]\/)[^/?#]*/, /^(\/s\/[^/?#]+\/confirm\/)[^/?#]*/];

export function redactUrl(url: string): string {
  const pathOnly = url.split(/[?#]/, 1)[0] ?? '';
  for (const pattern of TOKEN_PATHS) {
    if (pattern.test(pathOnly)) return pathOnly.replace(pattern, '$1[token]');
  }
  return pathOnly;
}
