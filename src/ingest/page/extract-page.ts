import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { Parser } from 'htmlparser2';
import type { ArticleDraft } from '../../core/article.ts';
import { SourceError } from '../../core/errors.ts';
import { collapseWhitespace, htmlToText } from '../html-to-text.ts';
import { firstMeta, normalizeLanguageTag, readPageHead, type PageHead } from './page-metadata.ts';
import { parseDate } from '../../core/parse-date.ts';
import { toHttpUrl } from '../../core/http-url.ts';
import { resolveBase } from './safe-url.ts';

export interface ExtractPageOptions {
  /**
   * The page's own URL: the base for relative links and the draft's URL. When null, the
   * page's `<link rel=canonical>` or og:url (absolute http(s) only) stands in.
   */
  url: string | null;
  /** How to name the input in errors (a file path); defaults to the URL. */
  name?: string;
}

/**
 * Extracts the main story of an HTML page with Mozilla Readability over a linkedom
 * DOM (linkedom matches jsdom on the evaluation pages at a fraction of the cost; see
 * bench/pages-eval.ts). Metadata comes from Readability first, then from the page head.
 */
export function extractPage(html: string, options: ExtractPageOptions): ArticleDraft {
  const where = options.name ?? options.url ?? 'HTML page';
  const { document } = parseHTML(html);
  // Read the head before Readability runs: it removes and rewrites nodes in place.
  const head = readPageHead(document as never);
  // A saved file has no URL of its own: the page's canonical link names where it lives.
  const pageUrl = toHttpUrl(options.url) ?? toHttpUrl(head.canonicalHref) ?? toHttpUrl(firstMeta(head, 'og:url'));
  const base = resolveBase(pageUrl, head.baseHref);

  let article: ReturnType<Readability['parse']> = null;
  try {
    article = new Readability(document as unknown as Document).parse();
  } catch (error) {
    throw new SourceError('SOURCE_PARSE', `could not extract the article: ${(error as Error).message}`, {
      where,
      cause: error,
    });
  }

  const content = article?.content ?? '';
  // Photo captions describe a picture the digest does not show: they are not the story,
  // and a short caption would otherwise look like a fine summary sentence.
  let text = content ? htmlToText(content.replace(/<figcaption\b[\s\S]*?<\/figcaption\s*>/gi, '')) : '';
  // Readability gives up on pages with little markup; the whole body is the best we have.
  if (!text) text = htmlToText(html);
  const siteName = cleanOrNull(article?.siteName) ?? firstMeta(head, 'og:site_name', 'application-name');
  const title = withoutSiteName(pickTitle(article?.title, head, pageUrl), siteName);
  if (!text && !title) {
    throw new SourceError('SOURCE_PARSE', 'no article text or title found in the page', { where });
  }

  const author = pickAuthor(article?.byline, head);
  return {
    url: pageUrl,
    title: title ?? '',
    text: dropLeadingRepeats(text, title, author),
    description:
      cleanOrNull(article?.excerpt) ?? firstMeta(head, 'description', 'og:description', 'twitter:description'),
    publishedAt:
      parseDate(article?.publishedTime) ??
      parseDate(
        firstMeta(head, 'article:published_time', 'datepublished', 'date', 'dc.date', 'dc.date.issued', 'pubdate'),
      ) ??
      parseDate(head.firstTimeDatetime),
    labels: pickLabels(head),
    author,
    imageUrl: pickImage(head, content, base),
    language:
      normalizeLanguageTag(article?.lang) ??
      normalizeLanguageTag(head.htmlLang) ??
      normalizeLanguageTag(firstMeta(head, 'content-language', 'og:locale', 'language')),
    siteName,
  };
}

/**
 * Readability keeps "Short title | Site" when the short part has few words; when the
 * suffix (or prefix) is exactly the page's declared site name it is not the title.
 */
function withoutSiteName(title: string | null, siteName: string | null): string | null {
  if (!title || !siteName) return title;
  const escaped = siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stripped = title
    .replace(new RegExp(`\\s+[|\\-–—:·»]\\s+${escaped}$`, 'i'), '')
    .replace(new RegExp(`^${escaped}\\s+[|\\-–—:·»]\\s+`, 'i'), '');
  return stripped || title;
}

/**
 * Readability keeps an in-article headline or byline when the head already named them;
 * the draft carries both as fields, so the text need not start with them again.
 */
function dropLeadingRepeats(text: string, title: string | null, author: string | null): string {
  const paragraphs = text.split('\n\n');
  const repeats = (paragraph: string) => {
    const line = paragraph.toLowerCase().replace(/^(by|von|par|por)\s+/, '');
    return (
      (title !== null && paragraph.toLowerCase() === title.toLowerCase()) ||
      (author !== null && line === author.toLowerCase())
    );
  };
  let start = 0;
  while (start < Math.min(3, paragraphs.length - 1) && repeats(paragraphs[start]!)) start += 1;
  return paragraphs.slice(start).join('\n\n');
}

function cleanOrNull(value: string | null | undefined): string | null {
  return value ? collapseWhitespace(value) || null : null;
}

function pickTitle(readabilityTitle: string | null | undefined, head: PageHead, url: string | null): string | null {
  return (
    cleanOrNull(readabilityTitle) ??
    firstMeta(head, 'og:title', 'twitter:title') ??
    head.documentTitle ??
    head.firstHeading ??
    (url ? collapseWhitespace(url) : null)
  );
}

function pickAuthor(byline: string | null | undefined, head: PageHead): string | null {
  const raw = cleanOrNull(byline) ?? firstMeta(head, 'author', 'article:author', 'dc.creator', 'parsely-author');
  if (!raw || toHttpUrl(raw)) return null; // article:author is often a profile URL, not a name
  return raw.replace(/^(by|von|par|por|автор:?)\s+/i, '').trim() || null;
}

function pickLabels(head: PageHead): string[] {
  // Some sites put every tag in one article:tag, comma-separated.
  const tags = (head.metaAll.get('article:tag') ?? []).flatMap((value) => value.split(','));
  const labels = [...(head.metaAll.get('article:section') ?? []), ...tags];
  return [...new Set(labels.map((label) => collapseWhitespace(label)).filter(Boolean))];
}

function pickImage(head: PageHead, content: string, base: string | null): string | null {
  const candidates = [
    firstMeta(head, 'og:image', 'og:image:url', 'og:image:secure_url'),
    firstMeta(head, 'twitter:image', 'twitter:image:src'),
    head.imageSrcHref,
    firstImageSrc(content),
  ];
  for (const candidate of candidates) {
    const url = toHttpUrl(candidate, base);
    if (url) return url;
  }
  return null;
}

function firstImageSrc(html: string): string | null {
  if (!html.includes('<img')) return null;
  let found: string | null = null;
  const parser = new Parser({
    onopentag(name, attributes) {
      if (found === null && name === 'img') found = attributes.src || attributes['data-src'] || null;
    },
  });
  parser.write(html);
  parser.end();
  return found;
}
