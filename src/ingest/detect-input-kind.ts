import { extname } from 'node:path';
import type { InputKind } from './types.ts';

/**
 * Decides what an input is from its content first and its name second, so a feed
 * saved as `.txt` or an HTML page saved as `.md` still goes to the right parser:
 * - feed: XML whose root is rss, RDF or feed (any XML that is not HTML is handed to the
 *   feed parser, which says what is wrong), or a JSON object whose `version` names jsonfeed.org;
 * - json: any other JSON object or array;
 * - page: HTML (doctype, <html>, or a document that starts with an HTML element);
 * - markdown: YAML front matter, or a .md/.markdown name;
 * - page-dump: any other text.
 */
const HTML_START =
  /^<(!doctype\s+html|html|head|body|meta|title|link|article|main|section|div|p|h[1-6]|header|nav|table|ul|ol|figure|blockquote|span|a|img|br)\b/i;
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.mkd']);

export function detectInputKind(name: string, text: string): InputKind {
  const head = skipPrologue(text.replace(/^\uFEFF/, '').trimStart());

  if (head.startsWith('{') || head.startsWith('[')) {
    const json = tryParseJson(text);
    if (json.ok) return isJsonFeed(json.value) ? 'feed' : 'json';
    if (extname(name).toLowerCase() === '.json') return 'json'; // let the JSON parser report where it breaks
  }
  if (head.startsWith('<')) {
    const root = /^<([a-z][\w.-]*:)?([a-z][\w.-]*)/i.exec(head);
    const rootName = root?.[2]?.toLowerCase();
    if (rootName === 'rss' || rootName === 'rdf' || rootName === 'feed') return 'feed';
    if (HTML_START.test(head)) return 'page';
    if (/^<\?xml/i.test(text.replace(/^\uFEFF/, '').trimStart())) return 'feed';
  }
  if (/^---[ \t]*\r?\n[\s\S]*?\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/.test(text.replace(/^\uFEFF/, ''))) return 'markdown';
  if (MARKDOWN_EXTENSIONS.has(extname(name).toLowerCase())) return 'markdown';
  return 'page-dump';
}

/** Skips the XML declaration, comments, processing instructions and a non-HTML doctype. */
function skipPrologue(text: string): string {
  let rest = text;
  for (;;) {
    const next = rest
      .replace(/^<\?[\s\S]*?\?>\s*/, '')
      .replace(/^<!--[\s\S]*?-->\s*/, '')
      .replace(/^<!doctype\s+(?!html\b)[^>[]*(\[[\s\S]*?\])?\s*>\s*/i, '');
    if (next === rest) return rest;
    rest = next;
  }
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch {
    return { ok: false };
  }
}

function isJsonFeed(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const version = (value as { version?: unknown }).version;
  return typeof version === 'string' && version.toLowerCase().includes('jsonfeed.org');
}
