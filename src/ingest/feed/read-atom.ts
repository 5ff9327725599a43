import type { ArticleDraft } from '../../core/article.ts';
import { htmlToText } from '../html-to-text.ts';
import { cleanAuthor, fallbackTitle, inlineFromHtml, inlineFromText, language, uniqueLabels } from './feed-fields.ts';
import { paragraphsFromText } from '../html-to-text.ts';
import { resolveHttpUrl } from '../../core/http-url.ts';
import { findItemImage } from './feed-media.ts';
import type { ParsedFeed } from './feed-types.ts';
import { parseDate } from '../../core/parse-date.ts';
import { child, children, deepText, innerMarkup, type XmlDocument, type XmlElement } from './xml-tree.ts';

/** Atom 1.0 and Atom 0.3 (whose `mode` attribute and MIME `type` values are mapped onto 1.0's). */
export function readAtom(doc: XmlDocument, feed: XmlElement, baseUrl: string | null): ParsedFeed {
  const title = titleOf(doc, child(feed, 'atom:title'));
  const siteUrl = alternateLink(feed, [baseUrl]);
  const feedLanguage = language(feed.lang);
  const feedAuthor = authorOf(feed);
  const drafts = children(feed, 'atom:entry').map((entry) =>
    readEntry(doc, entry, { title, siteUrl, feedAuthor, baseUrl }),
  );
  return { title, siteUrl, language: feedLanguage, drafts, warnings: [] };
}

interface FeedContext {
  title: string | null;
  siteUrl: string | null;
  feedAuthor: string | null;
  baseUrl: string | null;
}

function readEntry(doc: XmlDocument, entry: XmlElement, feed: FeedContext): ArticleDraft {
  const url = alternateLink(entry, [feed.siteUrl, feed.baseUrl]);
  const contentElement = child(entry, 'atom:content');
  const summaryElement = child(entry, 'atom:summary');
  const content = textConstruct(doc, contentElement);
  const summary = textConstruct(doc, summaryElement);
  const body = content?.value.trim() ? content : summary;
  const text = body ? toParagraphs(body) : '';
  const description = summary ? toParagraphs(summary) || null : null;
  const bodyElement = body === content ? contentElement : summaryElement;
  const imageBases = [bodyElement?.xmlBase ?? entry.xmlBase, feed.siteUrl, feed.baseUrl];

  return {
    url,
    title: titleOf(doc, child(entry, 'atom:title')) ?? fallbackTitle(text, description, url),
    text,
    description,
    publishedAt: firstDate(entry, [
      'atom:published',
      'atom:issued',
      'atom:created',
      'atom:updated',
      'atom:modified',
      'dc:date',
    ]),
    labels: uniqueLabels([
      ...children(entry, 'atom:category').map(
        (category) => category.attrs.label || category.attrs.term || deepText(category),
      ),
      ...children(entry, 'dc:subject').map(deepText),
    ]),
    author: authorOf(entry) ?? feed.feedAuthor,
    imageUrl: findItemImage(entry, body?.kind === 'html' ? body.value : '', imageBases),
    language: language(entry.lang),
    siteName: feed.title,
  };
}

type TextConstruct = { kind: 'html' | 'text'; value: string };

/**
 * Normalizes Atom's text constructs: type text|html|xhtml (1.0), MIME types and
 * mode xml|escaped|base64 (0.3). Content given by reference (src=) has no text here.
 */
function textConstruct(doc: XmlDocument, element: XmlElement | null): TextConstruct | null {
  if (!element || element.attrs.src) return null;
  const type = (element.attrs.type ?? '').trim().toLowerCase();
  const mode = (element.attrs.mode ?? '').trim().toLowerCase();
  if (mode === 'base64') {
    const decoded = Buffer.from(deepText(element).replace(/\s+/g, ''), 'base64').toString('utf8');
    return { kind: type.includes('html') ? 'html' : 'text', value: decoded };
  }
  if (type === 'xhtml' || type === 'application/xhtml+xml' || element.children.length > 0) {
    return { kind: 'html', value: innerMarkup(doc, element) };
  }
  if (type === 'html' || type === 'text/html' || (mode === 'escaped' && type !== 'text/plain' && type !== 'text')) {
    return { kind: 'html', value: deepText(element) };
  }
  return { kind: 'text', value: deepText(element) };
}

function toParagraphs(construct: TextConstruct): string {
  return construct.kind === 'html' ? htmlToText(construct.value) : paragraphsFromText(construct.value);
}

function titleOf(doc: XmlDocument, element: XmlElement | null): string | null {
  const construct = textConstruct(doc, element);
  if (!construct) return null;
  const title = construct.kind === 'html' ? inlineFromHtml(construct.value) : inlineFromText(construct.value);
  return title || null;
}

/**
 * The rel=alternate link (rel defaults to alternate), preferring an HTML one; each
 * href resolves against the xml:base in force on its own <link>.
 */
function alternateLink(parent: XmlElement, fallbackBases: readonly (string | null)[]): string | null {
  let best: string | null = null;
  for (const link of children(parent, 'atom:link')) {
    const rel = (link.attrs.rel ?? 'alternate').trim().toLowerCase();
    if (rel !== 'alternate' && rel !== 'http://www.iana.org/assignments/relation/alternate') continue;
    const url = resolveHttpUrl(link.attrs.href ?? deepText(link), [link.xmlBase, ...fallbackBases]);
    if (!url) continue;
    const type = (link.attrs.type ?? '').toLowerCase();
    if (!type || type.includes('html')) return url;
    best ??= url;
  }
  return best;
}

function authorOf(parent: XmlElement): string | null {
  for (const author of children(parent, 'atom:author')) {
    const name = cleanAuthor(deepText(child(author, 'atom:name') ?? author));
    if (name) return name;
  }
  const creator = child(parent, 'dc:creator');
  return creator ? cleanAuthor(deepText(creator)) : null;
}

function firstDate(entry: XmlElement, names: readonly string[]): string | null {
  for (const name of names) {
    const element = child(entry, name);
    const date = element ? parseDate(deepText(element)) : null;
    if (date) return date;
  }
  return null;
}
