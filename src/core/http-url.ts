/**
 * The one place that decides whether a URL from a source may be linked: only absolute
 * http(s) URLs survive; `javascript:`, `data:`, `mailto:` and garbage become null.
 */

/**
 * Resolves `raw` against `base` (when given) and keeps it only when it is http(s).
 * Browsers ignore ASCII whitespace and control characters inside URLs; stripping them
 * first stops "java\nscript:" style tricks from surviving as a relative path.
 */
export function toHttpUrl(raw: unknown, base?: string | null): string | null {
  if (typeof raw !== 'string') return null;
  const cleaned = raw.replace(/[\u0000-\u0020\u007f]+/g, (match, offset: number, whole: string) =>
    offset === 0 || offset + match.length === whole.length ? '' : match.includes(' ') ? '%20' : '',
  );
  if (!cleaned) return null;
  let resolved: URL;
  try {
    resolved = base ? new URL(cleaned, base) : new URL(cleaned);
  } catch {
    return null;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return null;
  return resolved.href;
}

export function isHttpUrl(value: unknown): value is string {
  return toHttpUrl(value) !== null;
}

/**
 * Resolves a URL against the first base that yields an absolute http(s) URL. A value
 * with another scheme is refused outright rather than resolved as a relative path.
 */
export function resolveHttpUrl(
  value: string | null | undefined,
  bases: readonly (string | null | undefined)[],
): string | null {
  const absolute = toHttpUrl(value);
  if (absolute || !value) return absolute;
  if (/^\s*[a-z][a-z0-9+.-]*:/i.test(value) && !/^\s*https?:/i.test(value)) return null;
  for (const base of bases) {
    const resolved = base ? toHttpUrl(value, base) : null;
    if (resolved) return resolved;
  }
  return null;
}

/** 127.0.0.0/8, ::1 and localhost: the connection never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}
