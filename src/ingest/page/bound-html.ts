import { Parser } from 'htmlparser2';
import { SourceError } from '../../core/errors.ts';

/**
 * A cheap streaming pre-pass over a page before any DOM is built. Readability over a
 * DOM is far worse than linear in nesting depth (2,000 nested `<div>`s took minutes,
 * 10,000 overflowed the stack) and memory grows with the element count, so:
 * - nesting deeper than `maxDepth` is flattened: the start and end tags of elements
 *   below that depth are cut out of the markup, their text and children stay, now in
 *   the deepest kept element. The rest of the page is byte for byte what it was.
 * - more than `maxElements` elements fail the page with SOURCE_TOO_COMPLEX at once;
 * - scripts and style sheets, which Readability throws away first, are dropped;
 * - after `maxText` characters of text the rest of the page is left out (the parser
 *   closes what is open), so a page of megabytes of text costs what its start costs.
 *
 * Depth is measured the way htmlparser2's Parser (which linkedom uses) builds the
 * tree: void elements, end tags closing what they match, and start tags that close an
 * open `<p>`, `<li>`, `<td>`… implicitly, so a page of unclosed `<p>`s is flat here
 * as it is in the DOM. The Parser itself keeps its stack with `unshift` (quadratic in
 * depth), so this pass drives htmlparser2's Tokenizer directly with a stack of its own
 * and stays linear in the page's length.
 */
export interface HtmlBudget {
  maxDepth: number;
  maxElements: number;
  /** Characters of text (markup aside) kept; the page is cut after them. */
  maxText: number;
}

export interface BoundedHtml {
  html: string;
  /** The deepest nesting found in the original markup. */
  depth: number;
  elements: number;
  /** Elements whose tags were cut because they sat deeper than maxDepth. */
  flattened: number;
  /** True when the page was cut after `maxText` characters of text. */
  truncated: boolean;
}

/** htmlparser2's callback surface for its Tokenizer (not exported by the package). */
interface TokenizerCallbacks {
  onattribdata(start: number, endIndex: number): void;
  onattribentity(codepoint: number): void;
  onattribend(quote: number, endIndex: number): void;
  onattribname(start: number, endIndex: number): void;
  oncdata(start: number, endIndex: number, endOffset: number): void;
  onclosetag(start: number, endIndex: number): void;
  oncomment(start: number, endIndex: number, endOffset: number): void;
  ondeclaration(start: number, endIndex: number): void;
  onend(): void;
  onopentagend(endIndex: number): void;
  onopentagname(start: number, endIndex: number): void;
  onprocessinginstruction(start: number, endIndex: number): void;
  onselfclosingtag(endIndex: number): void;
  ontext(start: number, endIndex: number): void;
  ontextentity(codepoint: number, endIndex: number): void;
  isInForeignContext(): boolean;
}
interface HtmlTokenizer {
  write(chunk: string): void;
  end(): void;
  pause(): void;
}
type TokenizerClass = new (
  options: { xmlMode?: boolean; decodeEntities?: boolean },
  callbacks: TokenizerCallbacks,
) => HtmlTokenizer;

// The package exports only the Parser; its tokenizer's class is reachable through an instance.
const Tokenizer = (new Parser(null) as unknown as { tokenizer: { constructor: TokenizerClass } }).tokenizer.constructor;

const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const P = new Set(['p']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTIONS = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
/** Mirrors htmlparser2's openImpliesClose: opening the key closes these while on top. */
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ['p', P],
  ['h1', HEADINGS],
  ['h2', HEADINGS],
  ['h3', HEADINGS],
  ['h4', HEADINGS],
  ['h5', HEADINGS],
  ['h6', HEADINGS],
  ['select', FORM],
  ['input', FORM],
  ['output', FORM],
  ['button', FORM],
  ['datalist', FORM],
  ['textarea', FORM],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ...[
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name) => [name, P] as [string, Set<string>]),
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTIONS],
  ['tfoot', TABLE_SECTIONS],
]);
/** Inside these, `<x/>` closes itself (SVG, MathML); these integration points leave it. */
const FOREIGN = new Set(['svg', 'math']);
const INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);
const KEEP_TAGS = new Set([
  'script',
  'style',
  'title',
  'textarea',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'plaintext',
  'svg',
  'math',
]);

interface OpenElement {
  name: string;
  cut: boolean;
  foreign: boolean;
  /** Where the start tag began, for an element dropped whole (a script, a style sheet). */
  dropFrom: number;
}

/**
 * Scripts (other than JSON-LD, which Readability reads for metadata) and style sheets
 * are removed by Readability before it looks at anything; dropping them here spares
 * the DOM their weight, often most of a news page's bytes.
 */
const DROPPED = new Set(['script', 'style']);
const JSON_LD = /\btype\s*=\s*["']?application\/ld\+json["'\s>]/i;

export function boundHtml(html: string, budget: HtmlBudget, where?: string): BoundedHtml {
  const stack: OpenElement[] = [];
  const openCount = new Map<string, number>();
  const foreign: boolean[] = [false];
  const pieces: string[] = [];
  let copiedTo = 0;
  let depth = 0;
  let elements = 0;
  let flattened = 0;
  let text = 0;
  let cutAt = -1;
  let opening: { start: number; element: OpenElement | null } | null = null;

  /** Drops html[start..end] (inclusive) from the output. */
  const cut = (start: number, end: number) => {
    if (start > copiedTo) pieces.push(html.slice(copiedTo, start));
    copiedTo = end + 1;
  };
  const pop = (): OpenElement => {
    const element = stack.pop()!;
    openCount.set(element.name, openCount.get(element.name)! - 1);
    if (element.foreign) foreign.pop();
    return element;
  };
  const endOpenTag = (endIndex: number, selfClosing: boolean) => {
    if (!opening) return;
    const { start, element } = opening;
    opening = null;
    if (element && element.dropFrom >= 0 && element.name === 'script' && JSON_LD.test(html.slice(start, endIndex + 1)))
      element.dropFrom = -1;
    if (element?.cut) cut(start, endIndex);
    // In SVG and MathML `<x/>` is complete; in HTML the slash means nothing.
    if (selfClosing && element && stack[stack.length - 1] === element && foreign[foreign.length - 1]) pop();
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname(start, endIndex) {
        const name = html.slice(start, endIndex).toLowerCase();
        elements += 1;
        if (elements > budget.maxElements) {
          throw new SourceError(
            'SOURCE_TOO_COMPLEX',
            `the page has more than ${budget.maxElements} elements (parse.maxElements); not parsed`,
            where ? { where } : {},
          );
        }
        // A second <form> inside a form is ignored by the parser; so it is here.
        if (name === 'form' && (openCount.get('form') ?? 0) > 0) {
          opening = { start: start - 1, element: null };
          return;
        }
        const closes = OPEN_IMPLIES_CLOSE.get(name);
        if (closes) while (stack.length > 0 && closes.has(stack[stack.length - 1]!.name)) pop();
        if (VOID.has(name)) {
          opening = { start: start - 1, element: null };
          return;
        }
        const isForeignRoot = FOREIGN.has(name);
        const element: OpenElement = {
          name,
          cut: false,
          foreign: isForeignRoot || INTEGRATION.has(name),
          dropFrom: -1,
        };
        if (DROPPED.has(name) && html[start - 1] === '<') element.dropFrom = start - 1;
        // Tags are cut whole, from "<" to ">", and never those of raw-text elements (a
        // script's code would become text) or of an <svg>/<math> root (its children would
        // become HTML): those add at most one level.
        element.cut = stack.length >= budget.maxDepth && !KEEP_TAGS.has(name) && html[start - 1] === '<';
        if (element.cut) flattened += 1;
        if (element.foreign) foreign.push(isForeignRoot);
        stack.push(element);
        openCount.set(name, (openCount.get(name) ?? 0) + 1);
        if (stack.length > depth) depth = stack.length;
        opening = { start: start - 1, element };
      },
      onopentagend(endIndex) {
        endOpenTag(endIndex, false);
      },
      onselfclosingtag(endIndex) {
        endOpenTag(endIndex, true);
      },
      onclosetag(start, endIndex) {
        const name = html.slice(start, endIndex).toLowerCase();
        if (VOID.has(name) || (openCount.get(name) ?? 0) === 0) return;
        let element = pop();
        while (element.name !== name) element = pop();
        const close = html.indexOf('>', endIndex);
        const closeEnd = close < 0 ? html.length - 1 : close;
        if (element.dropFrom >= 0 && element.dropFrom >= copiedTo) cut(element.dropFrom, closeEnd);
        else if (element.cut && html[start - 2] === '<' && html[start - 1] === '/') cut(start - 2, closeEnd);
      },
      isInForeignContext: () => foreign[foreign.length - 1] === true,
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext(start, endIndex) {
        if (cutAt >= 0) return;
        // Text inside a script or style sheet is code, not the page's text.
        const top = stack[stack.length - 1];
        if (top && top.dropFrom >= 0) return;
        text += endIndex - start;
        if (text > budget.maxText) {
          cutAt = Math.max(copiedTo, endIndex - (text - budget.maxText));
          tokenizer.pause();
        }
      },
      ontextentity() {
        text += 1;
      },
    },
  );
  tokenizer.write(html);
  if (cutAt >= 0) {
    pieces.push(html.slice(copiedTo, cutAt));
    return { html: pieces.join(''), depth, elements, flattened, truncated: true };
  }
  tokenizer.end();

  if (copiedTo === 0) return { html, depth, elements, flattened, truncated: false };
  pieces.push(html.slice(copiedTo));
  return { html: pieces.join(''), depth, elements, flattened, truncated: false };
}
