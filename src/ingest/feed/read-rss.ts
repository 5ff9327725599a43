import type { ArticleDraft } from '../../core/article.ts';
import { htmlToText } from '../html-to-text.ts';
import { cleanAuthor, fallbackTitle, inlineFromHtml, language, uniqueLabels } from './feed-fields.ts';
import { resolveHttpUrl } from '../../core/http-url.ts';
import { findItemImage } from './feed-media.ts';
import type { ParsedFeed } from './feed-types.ts';
import { parseDate } from '../../core/parse-date.ts';
import { child, children, deepText, innerMarkup, ownText, type XmlDocument, type XmlElement } from './xml-tree.ts';

/**
 * RSS 0.90–0.94, 1.0 (RDF) and 2.0. In RSS 0.90 and 1.0 the items are siblings of
 * <channel> under <rdf:RDF>; in the others they sit inside <channel>. Both places are
 * searched so that a feed that mixes them up still reads.
 */
export function readRss(doc: XmlDocument, root: XmlElement, baseUrl: string | null): ParsedFeed {
  const channel = root.name === 'channel' ? root : child(root, 'channel');
  const title = textField(doc, channel, 'title') ?? textField(doc, channel, 'dc:title');
  const siteUrl = resolveHttpUrl(plainOf(child(channel, 'link')) ?? atomAlternate(channel), [
    channel?.xmlBase,
    baseUrl,
  ]);
  const feedLanguage = language(
    plainOf(child(channel, 'language')) ?? plainOf(child(channel, 'dc:language')) ?? channel?.lang ?? root.lang,
  );
  const feedAuthor = cleanAuthor(plainOf(child(channel, 'dc:creator')) ?? plainOf(child(channel, 'itunes:author')));

  const items = [...children(channel, 'item'), ...(root === channel ? [] : children(root, 'item'))];
  const drafts = items.map((item) => readItem(doc, item, { title, siteUrl, feedLanguage, feedAuthor, baseUrl }));
  return { title, siteUrl, language: feedLanguage, drafts, warnings: [] };
}

interface FeedContext {
  title: string | null;
  siteUrl: string | null;
  feedLanguage: string | null;
  feedAuthor: string | null;
  baseUrl: string | null;
}

function readItem(doc: XmlDocument, item: XmlElement, feed: FeedContext): ArticleDraft {
  const bases = [item.xmlBase, feed.siteUrl, feed.baseUrl];
  const url = itemLink(item, bases);
  const encoded = htmlOf(doc, child(item, 'content:encoded'));
  const descriptionHtml = htmlOf(doc, child(item, 'description')) ?? htmlOf(doc, child(item, 'dc:description'));
  const contentHtml = encoded ?? descriptionHtml ?? '';
  const text = contentHtml ? htmlToText(contentHtml) : '';
  const descriptionText = descriptionHtml ? htmlToText(descriptionHtml) : '';
  const description = descriptionText || null;
  const title =
    textField(doc, item, 'title') ?? textField(doc, item, 'dc:title') ?? fallbackTitle(text, description, url);

  return {
    url,
    title,
    text,
    description,
    publishedAt: firstDate(item, [
      'pubdate',
      'dc:date',
      'dcterms:issued',
      'dcterms:created',
      'atom:published',
      'atom:updated',
      'dcterms:modified',
    ]),
    labels: uniqueLabels([...children(item, 'category').map(deepText), ...children(item, 'dc:subject').map(deepText)]),
    author:
      cleanAuthor(plainOf(child(item, 'author'))) ??
      cleanAuthor(plainOf(child(item, 'dc:creator'))) ??
      cleanAuthor(plainOf(child(item, 'itunes:author'))) ??
      cleanAuthor(plainOf(child(child(item, 'atom:author'), 'atom:name'))) ??
      feed.feedAuthor,
    imageUrl: findItemImage(item, contentHtml, bases),
    language: language(plainOf(child(item, 'dc:language')) ?? item.attrs['xml:lang'] ?? feed.feedLanguage),
    siteName: feed.title,
  };
}

/** <link>, then a permalink <guid>, then an Atom alternate link, then RDF's rdf:about. */
function itemLink(item: XmlElement, bases: readonly (string | null)[]): string | null {
  const candidates: (string | null | undefined)[] = [plainOf(child(item, 'link'))];
  for (const link of children(item, 'link')) candidates.push(link.attrs.href);
  candidates.push(plainOf(child(item, 'feedburner:origlink')));
  const guid = child(item, 'guid');
  if (guid && guid.attrs.ispermalink?.trim().toLowerCase() !== 'false') candidates.push(plainOf(guid));
  candidates.push(atomAlternate(item), item.attrs['rdf:about']);
  for (const candidate of candidates) {
    const url = resolveHttpUrl(candidate, bases);
    if (url) return url;
  }
  return null;
}

function atomAlternate(parent: XmlElement | null): string | null {
  for (const link of children(parent, 'atom:link')) {
    const rel = link.attrs.rel ?? 'alternate';
    if (rel === 'alternate' && link.attrs.href) return link.attrs.href;
  }
  return null;
}

/** A title-like field: may hold escaped HTML or entities; one clean line, or null. */
function textField(doc: XmlDocument, parent: XmlElement | null, name: string): string | null {
  const html = htmlOf(doc, child(parent, name));
  if (html === null) return null;
  const text = inlineFromHtml(html);
  return text || null;
}

/**
 * The HTML an element carries: its text when the HTML is escaped or in CDATA (the
 * normal case), its raw inner markup when a sloppy feed put tags in unescaped.
 */
function htmlOf(doc: XmlDocument, element: XmlElement | null): string | null {
  if (!element) return null;
  const html = element.children.length > 0 ? innerMarkup(doc, element) : ownText(element);
  return html.trim() ? html : null;
}

function plainOf(element: XmlElement | null): string | null {
  if (!element) return null;
  const text = deepText(element).trim();
  return text || null;
}

function firstDate(item: XmlElement, names: readonly string[]): string | null {
  for (const name of names) {
    const date = parseDate(plainOf(child(item, name)));
    if (date) return date;
  }
  return null;
}
