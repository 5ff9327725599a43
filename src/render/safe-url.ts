/**
 * Only http(s) URLs may become links or image sources: anything else (javascript:,
 * data:, relative paths, garbage) comes back as null and the template shows no link.
 */
export function toHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    // The parsed form percent-encodes spaces and quotes, so it is attribute-safe once escaped.
    return url.href;
  } catch {
    return null;
  }
}

/** HTML-escapes a string for text nodes and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => HTML_ESCAPES[char]!);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};
