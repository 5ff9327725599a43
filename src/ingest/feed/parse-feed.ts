import { SourceError } from '../../core/errors.ts';
import type { ParsedFeed, ParseFeedOptions } from './feed-types.ts';
import { readAtom } from './read-atom.ts';
import { isJsonFeed, readJsonFeed } from './read-json-feed.ts';
import { readRss } from './read-rss.ts';
import { parseXml, type XmlElement } from './xml-tree.ts';

export type { ParsedFeed, ParseFeedOptions } from './feed-types.ts';

/**
 * Parses any feed format, detected from content rather than from the file name or
 * Content-Type (both lie): JSON Feed 1.0/1.1, RSS 0.90–2.0 including RDF 1.0, and
 * Atom 0.3/1.0. Lenient with broken markup (warnings say what was recovered); throws
 * SOURCE_PARSE when nothing feed-like is found and SOURCE_UNSAFE for entity tricks.
 */
export function parseFeed(text: string, options: ParseFeedOptions): ParsedFeed {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = source.search(/\S/);
  if (start < 0) throw new SourceError('SOURCE_PARSE', 'the feed is empty', { where: options.baseUrl ?? undefined });
  const first = source[start];
  if (first === '{' || first === '[') return parseJson(source, options);
  return parseXmlFeed(source, options);
}

function parseJson(source: string, options: ParseFeedOptions): ParsedFeed {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new SourceError('SOURCE_PARSE', `not valid JSON: ${(error as Error).message}`, {
      where: options.baseUrl ?? undefined,
      cause: error,
    });
  }
  if (!isJsonFeed(value)) {
    throw new SourceError(
      'SOURCE_PARSE',
      'JSON without a JSON Feed "version" (https://jsonfeed.org/version/1.1) or an "items" array',
      {
        where: options.baseUrl ?? undefined,
      },
    );
  }
  return readJsonFeed(value, options.baseUrl);
}

const FEED_ROOTS = new Set(['rss', 'rdf:rdf', 'atom:feed', 'channel', 'feed']);

function parseXmlFeed(source: string, options: ParseFeedOptions): ParsedFeed {
  const doc = parseXml(source, options);
  const root = findFeedRoot(doc.top);
  if (!root) {
    const found = doc.top.children[0]?.name;
    const reason = found
      ? found === 'html' || found === 'xhtml:html'
        ? 'this is an HTML page, not a feed (root element <html>)'
        : `no <rss>, <rdf:RDF> or Atom <feed> element (root element is <${found}>)`
      : 'no XML elements and no JSON found';
    throw new SourceError('SOURCE_PARSE', reason, { where: options.baseUrl ?? undefined });
  }
  const warnings = [...doc.warnings];
  let parsed: ParsedFeed;
  if (root.name === 'atom:feed') parsed = readAtom(doc, root, options.baseUrl);
  else if (root.name === 'feed') {
    warnings.push('<feed> without the Atom namespace; read as Atom');
    parsed = readAtom(doc, adoptAtomNamespace(root), options.baseUrl);
  } else parsed = readRss(doc, root, options.baseUrl);
  if (root.parent !== doc.top) warnings.push(`feed element <${root.name}> found nested inside <${root.parent?.name}>`);
  if (parsed.drafts.length === 0) warnings.push('the feed has no items');
  return { ...parsed, warnings: [...warnings, ...parsed.warnings] };
}

/** The first feed root, top level first, then anywhere (a feed wrapped in junk markup). */
function findFeedRoot(top: XmlElement): XmlElement | null {
  for (const element of top.children) if (FEED_ROOTS.has(element.name)) return element;
  const queue = [...top.children];
  for (let index = 0; index < queue.length && index < 10_000; index++) {
    const element = queue[index]!;
    if (FEED_ROOTS.has(element.name)) return element;
    queue.push(...element.children);
  }
  return null;
}

function adoptAtomNamespace(element: XmlElement): XmlElement {
  if (!element.name.includes(':')) element.name = `atom:${element.name}`;
  for (const item of element.children) adoptAtomNamespace(item);
  return element;
}
