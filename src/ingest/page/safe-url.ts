/**
 * Resolves a URL found in a source against a base and keeps it only when it is
 * http(s): `javascript:`, `data:` and friends never leave the parser.
 */
export function toHttpUrl(raw: string | null | undefined, base?: string | null): string | null {
  if (typeof raw !== 'string') return null;
  // Browsers ignore ASCII whitespace and control characters inside URLs; stripping them
  // first stops "java\nscript:" style tricks from surviving as a relative path.
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

/** The effective base of a page: `<base href>` resolved against the page URL. */
export function resolveBase(pageUrl: string | null, baseHref: string | null | undefined): string | null {
  const page = toHttpUrl(pageUrl);
  if (!baseHref) return page;
  return toHttpUrl(baseHref, page) ?? page;
}
