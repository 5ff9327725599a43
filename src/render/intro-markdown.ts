import { toHttpUrl } from '../core/http-url.ts';

/**
 * The small Markdown of an editor's intro, inline only: **bold**, *italic* (or _italic_)
 * and [links](https://…). Everything else is text, escaped; a link whose target is not
 * http(s) stays text. In the plain-text part the markers go and a link reads "text (url)".
 */
const INLINE = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*|_([^_\n]+)_/g;

export function renderIntroLine(line: string, mode: 'html' | 'text', escapeText: (text: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(INLINE)) {
    out += mode === 'html' ? escapeText(line.slice(last, match.index)) : line.slice(last, match.index);
    const [whole, linkText, href, bold, italic, underscored] = match;
    if (linkText !== undefined) {
      const url = toHttpUrl(href ?? null);
      if (!url) out += mode === 'html' ? escapeText(whole) : whole;
      else out += mode === 'html' ? `<a href="${escapeText(url)}">${escapeText(linkText)}</a>` : `${linkText} (${url})`;
    } else if (bold !== undefined) {
      out += mode === 'html' ? `<strong>${escapeText(bold)}</strong>` : bold;
    } else {
      const text = italic ?? underscored ?? '';
      out += mode === 'html' ? `<em>${escapeText(text)}</em>` : text;
    }
    last = match.index + whole.length;
  }
  return out + (mode === 'html' ? escapeText(line.slice(last)) : line.slice(last));
}
