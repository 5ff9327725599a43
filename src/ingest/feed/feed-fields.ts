import { collapseWhitespace, htmlToText } from '../html-to-text.ts';

/** Field clean-ups shared by the RSS, Atom and JSON Feed readers. Pure. */

/** An HTML fragment as one line of plain text: tags stripped, entities decoded. */
export function inlineFromHtml(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  return collapseWhitespace(htmlToText(html));
}

/**
 * Text that is meant to be plain but may carry HTML entities the XML layer left
 * alone (`&nbsp;`, `&eacute;`): decode those, never treat `<` as a tag.
 */
export function inlineFromText(text: string): string {
  if (!text.includes('&')) return collapseWhitespace(text);
  return collapseWhitespace(htmlToText(text.replace(/</g, '&lt;')));
}

const IMG_SRC = /<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** The src of the first <img> in an HTML fragment, entity-decoded, or null. */
export function firstImageSource(html: string): string | null {
  if (!html.includes('<img') && !html.includes('<IMG')) return null;
  const match = IMG_SRC.exec(html);
  if (!match) return null;
  const src = match[1] ?? match[2] ?? match[3] ?? '';
  return src.replace(/&amp;/g, '&').replace(/&#0*38;/g, '&');
}

/** "editor@example.org (Jane Doe)" → "Jane Doe"; a bare address stays as written. */
export function cleanAuthor(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = inlineFromText(value);
  if (!text) return null;
  const parenthesized = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  if (parenthesized) return parenthesized[1]!.trim() || text;
  const angled = /^(.+?)\s*<\S+@\S+>$/.exec(text);
  if (angled) return angled[1]!.replace(/^"|"$/g, '').trim() || text;
  return text;
}

/** Labels without blanks or duplicates (case-insensitive), in first-seen order. */
export function uniqueLabels(values: readonly (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const value of values) {
    if (!value) continue;
    const label = inlineFromText(value);
    const key = label.toLowerCase();
    if (!label || seen.has(key)) continue;
    seen.add(key);
    labels.push(label);
  }
  return labels;
}

const TITLE_WORDS = 12;

/** Items without a title (microblog posts) are named by their first words. */
export function fallbackTitle(text: string, description: string | null, url: string | null): string {
  const source = (text || description || '').split('\n')[0]!.trim();
  if (source) {
    const words = source.split(' ');
    return words.length > TITLE_WORDS ? `${words.slice(0, TITLE_WORDS).join(' ')}…` : source;
  }
  return url ?? 'Untitled';
}

export function isImageType(type: string | null | undefined): boolean {
  return Boolean(type && /^image\//i.test(type.trim()));
}

export function looksLikeImageUrl(url: string): boolean {
  return /\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#]|$)/i.test(url);
}

export function language(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}
