import { Parser } from 'htmlparser2';
import { boundHtml } from './page/bound-html.ts';

/**
 * Turns an HTML fragment into clean text: one paragraph per block element, paragraphs
 * separated by a blank line, headings as paragraphs of their own, inline whitespace
 * collapsed, and no script, style or form content. Pure; used for feed content and
 * for the main text Readability extracts.
 */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
  'br',
  'caption',
  'details',
  'summary',
]);
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'svg',
  'button',
  'select',
  'textarea',
  'head',
  'title',
]);

/**
 * htmlparser2's Parser is quadratic in nesting depth (100,000 levels of a feed item's
 * HTML took 15 s): flatten first, as pages are (no element or text limit here; a feed's
 * size is bounded by fetch.maxBytes and its HTML is plain text afterwards).
 */
const TEXT_BUDGET = { maxDepth: 128, maxElements: Number.POSITIVE_INFINITY, maxText: Number.POSITIVE_INFINITY };

export function htmlToText(rawHtml: string): string {
  const html = mayNestDeeperThan(rawHtml, TEXT_BUDGET.maxDepth) ? boundHtml(rawHtml, TEXT_BUDGET).html : rawHtml;
  const paragraphs: string[] = [];
  let current = '';
  let skipDepth = 0;
  let preDepth = 0;

  const flush = () => {
    const text = preDepth > 0 ? current.replace(/[ \t]+\n/g, '\n').trim() : collapseWhitespace(current);
    if (text) paragraphs.push(text);
    current = '';
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) {
          skipDepth += 1;
          return;
        }
        if (name === 'br') {
          // A single <br> inside a paragraph is a line break; treat it as a paragraph
          // break only when it repeats (<br><br>), which is how many feeds write paragraphs.
          current += '\u0000';
          return;
        }
        if (BLOCK.has(name)) flush();
        if (name === 'pre') preDepth += 1;
        if (name === 'img' || name === 'td' || name === 'th') current += ' ';
      },
      ontext(text) {
        if (skipDepth === 0) current += text;
      },
      onclosetag(name) {
        if (SKIP.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (name === 'br') return;
        if (BLOCK.has(name)) flush();
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();

  return paragraphs
    .flatMap((paragraph) => paragraph.split(/\s*\u0000\s*\u0000[\s\u0000]*/))
    .map((paragraph) => collapseWhitespace(paragraph.replace(/\u0000/g, ' ')))
    .filter(Boolean)
    .join('\n\n');
}

/** Cheap: fewer start tags than the limit cannot nest deeper than it. */
function mayNestDeeperThan(html: string, depth: number): boolean {
  let tags = 0;
  for (let at = html.indexOf('<'); at >= 0; at = html.indexOf('<', at + 1)) {
    if (html.charCodeAt(at + 1) !== 47 /* / */ && ++tags > depth) return true;
  }
  return false;
}

export function collapseWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Multi-paragraph plain text (JSON Feed content_text, stored article text): keep blank-line paragraphs. */
export function paragraphsFromText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => collapseWhitespace(paragraph))
    .filter(Boolean)
    .join('\n\n');
}
