import { Parser } from 'htmlparser2';
import { SourceError } from '../../core/errors.ts';
import { mapWindows1252References } from '../strip-control-characters.ts';

/**
 * A small, lenient XML tree for feeds. htmlparser2 in xmlMode never throws: it closes
 * unclosed tags at the end, ignores stray end tags, keeps a bare `&` as text, and never
 * expands entities beyond the five XML ones and character references, so neither
 * external entities (XXE) nor nested ones (billion laughs) can do anything. We still
 * refuse documents that declare entities, so that a feed relying on them fails loudly
 * instead of being read with holes.
 *
 * Element names are canonical and lowercase: the namespace URI, not the prefix the feed
 * chose, decides the prefix (`atom:`, `dc:`, `content:`, `media:`, `rdf:`); RSS 0.90/1.0
 * and RSS 2.0 elements have none. Undeclared prefixes are kept as written.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  parent: XmlElement | null;
  /** Text chunks and child elements in document order. */
  content: (string | XmlElement)[];
  /** Absolute xml:base in force here, or null when none was declared above. */
  xmlBase: string | null;
  /** xml:lang in force here. */
  lang: string | null;
  /** Source offsets of the inner markup, for XHTML or unescaped HTML content. */
  innerStart: number;
  innerEnd: number;
}

export interface XmlDocument {
  /** A synthetic node holding every top-level element (the root and any junk after it). */
  top: XmlElement;
  source: string;
  warnings: string[];
}

const NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
};

const MAX_WARNINGS = 20;
const MAX_DEPTH = 4096;

interface Frame {
  element: XmlElement;
  /** Where children went before this element opened, restored when it closes. */
  previous: XmlElement;
  previousScope: Map<string, string>;
  depth: number;
  closedEarly: boolean;
}
export const DEFAULT_MAX_ENTITY_REFERENCES = 5_000_000;

export function parseXml(
  rawSource: string,
  options: { baseUrl: string | null; maxEntityExpansions?: number },
): XmlDocument {
  // `&#146;` means ’ in the Windows-made feeds that write it, as it does in HTML.
  const source = mapWindows1252References(rawSource);
  refuseEntityDeclarations(source, options.maxEntityExpansions ?? DEFAULT_MAX_ENTITY_REFERENCES);
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(message);
  };
  const documentBase = safeBase(options.baseUrl);
  const top = makeElement('#document', {}, null, null, null, 0);
  // `open` mirrors htmlparser2's stack of open tags. An element can be closed early by
  // us (an <item> opened inside an unclosed <item>) while still open for htmlparser2;
  // such frames are marked and popped later without effect.
  const open: Frame[] = [];
  const openItems: Frame[] = [];
  let current = top;
  let currentScope = new Map<string, string>();
  let closedRoot = false;
  let tooDeepAt = -1;

  const parser = new Parser(
    {
      onopentag(rawName, attribs) {
        if (open.length >= MAX_DEPTH) {
          // htmlparser2 keeps its stack with unshift(): unbounded nesting is quadratic.
          tooDeepAt = parser.startIndex;
          parser.pause();
          return;
        }
        if (current === top && closedRoot && top.children.length > 0)
          warn(`content after the root element ignored (<${rawName}>)`);
        const attrs: Record<string, string> = {};
        let scope = currentScope;
        for (const key in attribs) {
          const value = attribs[key]!;
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            if (scope === currentScope) scope = new Map(scope);
            scope.set(key === 'xmlns' ? '' : key.slice(6), value.trim().toLowerCase());
          }
          attrs[key] = value;
        }
        const name = canonicalName(rawName, scope);
        const isItem = name === 'item' || name === 'atom:entry';
        const enclosing = isItem ? openItems[openItems.length - 1] : undefined;
        if (enclosing && enclosing.element.name === name) {
          // Items never nest: the previous one was left unclosed. Close it (and whatever
          // is still open inside it) here, so each item stays a sibling.
          for (let index = open.length - 1; index >= enclosing.depth; index--) {
            const frame = open[index]!;
            frame.closedEarly = true;
            frame.element.innerEnd = Math.max(frame.element.innerStart, parser.startIndex);
          }
          openItems.pop();
          if (warnings.length < MAX_WARNINGS)
            warn(`<${rawName}> was not closed (line ${lineAt(source, enclosing.element.innerStart)})`);
          current = enclosing.previous;
          currentScope = enclosing.previousScope;
        }
        const xmlBase =
          attrs['xml:base'] !== undefined
            ? resolveBase(attrs['xml:base'], current.xmlBase ?? documentBase)
            : current.xmlBase;
        const lang = attrs['xml:lang']?.trim() || current.lang;
        const element = makeElement(name, attrs, current, xmlBase, lang, parser.endIndex + 1);
        current.children.push(element);
        current.content.push(element);
        const frame: Frame = {
          element,
          previous: current,
          previousScope: currentScope,
          depth: open.length,
          closedEarly: false,
        };
        open.push(frame);
        if (isItem) openItems.push(frame);
        current = element;
        currentScope = scope;
      },
      ontext(text) {
        if (current === top) {
          if (closedRoot && text.trim()) warn('text after the root element ignored');
          return;
        }
        current.content.push(text);
      },
      onclosetag(rawName, isImplied) {
        const frame = open.pop();
        if (!frame || frame.closedEarly) return;
        const element = frame.element;
        // htmlparser2 reports self-closing tags as implied closes too: tell them apart by
        // the close happening at the very end of the open tag, right after "/>".
        const selfClosing =
          isImplied && parser.endIndex + 1 === element.innerStart && source[parser.endIndex - 1] === '/';
        // Capped before computing the line number: lineAt is linear in the input.
        if (isImplied && !selfClosing && warnings.length < MAX_WARNINGS)
          warn(`<${rawName}> was not closed (line ${lineAt(source, element.innerStart)})`);
        element.innerEnd = selfClosing ? element.innerStart : Math.max(element.innerStart, parser.startIndex);
        if (openItems[openItems.length - 1] === frame) openItems.pop();
        current = frame.previous;
        currentScope = frame.previousScope;
        if (current === top) closedRoot = true;
      },
    },
    { xmlMode: true, decodeEntities: true, lowerCaseTags: false, lowerCaseAttributeNames: true },
  );
  parser.write(source);
  if (tooDeepAt >= 0) {
    // Never dropped by the warning cap: content was lost, the source must say so.
    warnings.push(
      `elements nested deeper than ${MAX_DEPTH} levels at line ${lineAt(source, tooDeepAt)}; ` +
        `the rest of the document (${source.length - tooDeepAt} characters) was ignored`,
    );
  } else parser.end();
  return { top, source, warnings };
}

function makeElement(
  name: string,
  attrs: Record<string, string>,
  parent: XmlElement | null,
  xmlBase: string | null,
  lang: string | null,
  innerStart: number,
): XmlElement {
  return { name, attrs, children: [], parent, content: [], xmlBase, lang, innerStart, innerEnd: innerStart };
}

function canonicalName(rawName: string, scope: Map<string, string>): string {
  const colon = rawName.indexOf(':');
  const prefix = colon < 0 ? '' : rawName.slice(0, colon);
  const local = (colon < 0 ? rawName : rawName.slice(colon + 1)).toLowerCase();
  const uri = scope.get(prefix);
  if (uri !== undefined) {
    const known = NAMESPACES[uri];
    if (known !== undefined) return known ? `${known}:${local}` : local;
  }
  return prefix ? `${prefix.toLowerCase()}:${local}` : local;
}

function resolveBase(value: string, parentBase: string | null): string | null {
  try {
    return parentBase ? new URL(value.trim(), parentBase).href : new URL(value.trim()).href;
  } catch {
    return parentBase;
  }
}

function safeBase(baseUrl: string | null): string | null {
  if (!baseUrl) return null;
  try {
    return new URL(baseUrl).href;
  } catch {
    return null;
  }
}

/**
 * Entity declarations live in the DOCTYPE's internal subset. Any `<!ENTITY` there is
 * refused; a plain `<!DOCTYPE rss PUBLIC ...>` (RSS 0.91 ships one) is fine.
 */
function refuseEntityDeclarations(source: string, maxReferences: number): void {
  const doctype = source.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    const rootStart = source.slice(0, doctype).search(/<[A-Za-z_]/);
    if (rootStart < 0 && /<!ENTITY/i.test(source.slice(doctype, findSubsetEnd(source, doctype)))) {
      throw new SourceError(
        'SOURCE_UNSAFE',
        'the DOCTYPE declares entities (<!ENTITY>); refusing to expand them (external-entity and entity-expansion attacks)',
      );
    }
  }
  // Character and predefined references are cheap, but bound them anyway so a
  // pathological input cannot make the tokenizer do unbounded decoding work.
  let count = 0;
  for (let at = source.indexOf('&'); at >= 0; at = source.indexOf('&', at + 1)) {
    if (++count > maxReferences) {
      throw new SourceError('SOURCE_UNSAFE', `more than ${maxReferences} entity references; refusing to decode them`);
    }
  }
}

function findSubsetEnd(source: string, doctype: number): number {
  const bracket = source.indexOf('[', doctype);
  const close = source.indexOf('>', doctype);
  if (bracket < 0 || (close >= 0 && close < bracket)) return close < 0 ? source.length : close;
  const end = source.indexOf(']', bracket);
  return end < 0 ? source.length : end;
}

export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let at = source.indexOf('\n'); at >= 0 && at < offset; at = source.indexOf('\n', at + 1)) line++;
  return line;
}

/** Direct text, joined (text inside child elements is left out). */
export function ownText(element: XmlElement): string {
  const { content } = element;
  if (content.length === 1 && typeof content[0] === 'string') return content[0];
  let text = '';
  for (const part of content) if (typeof part === 'string') text += part;
  return text;
}

/** All text below the element, in document order. */
export function deepText(element: XmlElement): string {
  if (element.children.length === 0) return ownText(element);
  let text = '';
  for (const part of element.content) text += typeof part === 'string' ? part : deepText(part);
  return text;
}

export function child(element: XmlElement | null | undefined, name: string): XmlElement | null {
  if (!element) return null;
  for (const item of element.children) if (item.name === name) return item;
  return null;
}

export function children(element: XmlElement | null | undefined, name: string): XmlElement[] {
  if (!element) return [];
  return element.children.filter((item) => item.name === name);
}

/** The raw markup between an element's tags, e.g. XHTML content or unescaped HTML. */
export function innerMarkup(doc: XmlDocument, element: XmlElement): string {
  return doc.source.slice(element.innerStart, Math.max(element.innerStart, element.innerEnd));
}
