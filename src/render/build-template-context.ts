import type { EditionArticle } from '../editions/edition.ts';
import type { SegmentContent, WebReaderLinks } from '../editions/segment-content.ts';
import { toHttpUrl } from '../core/http-url.ts';
import { formatArticleTime, formatDate } from './intl-dates.ts';
import type { Translator } from './locale-strings.ts';
import { baseLanguage } from '../core/locale-tag.ts';
import { TOKEN_PATTERN } from './personalize.ts';
import type { ImageLinker } from './image-links.ts';
import { TOP_STORY_SECTION, type ArticleLinker } from './click-links.ts';

/**
 * The object the templates see (documented in docs/templates.md). URLs are already
 * reduced to http(s) or null here, so even an override template that forgets the
 * `httpUrl` helper cannot link a javascript: URL.
 */
export interface ArticleView
  extends Pick<
    EditionArticle,
    'category' | 'title' | 'summary' | 'url' | 'source' | 'author' | 'imageUrl' | 'publishedAt'
  > {
  id: string;
  /** Publication time in the reader's locale and zone: "07:15", or "27 Nov, 18:40" on another day. */
  time: string;
  /** The article's language when it differs from the email's (`ru` in an English email), else null: goes in `lang`. */
  lang: string | null;
  /** The same story from other sources; `url` is an http(s) link or null (the name is then shown unlinked). */
  alsoIn: AlsoInView[];
}

export interface AlsoInView {
  source: string;
  url: string | null;
}

export interface SectionView {
  slug: string;
  title: string;
  articles: ArticleView[];
}

export interface DigestContext {
  lang: string;
  dir: string;
  newsletter: { id: string; title: string; description: string; postalAddress: string };
  edition: { id: string; slot: string; articleCount: number };
  /** The edition date, e.g. "Nov 28, 2026" / "28 нояб. 2026 г.". */
  date: string;
  /** With weekday, e.g. "Saturday, November 28, 2026". */
  dateLong: string;
  subject: string;
  preheader: string;
  intro: string | null;
  topStory: ArticleView | null;
  sections: SectionView[];
  /** True when the size budget cut articles: the template shows the web-version link. */
  shortened: boolean;
  /** The full edition on the web: webVersionUrl when http(s), else the `%%{view_url}%%` token. */
  webVersionUrl: string;
  /** Set on the web page (`/e/`): no "view in browser", no per-reader links, the archive and signup instead. */
  webReader: (WebReaderLinks & { hasLinks: boolean }) | null;
}

/** The segment with its top story settled: the pinned one, else the first article, never shown twice. */
export function settleTopStory(content: SegmentContent): SegmentContent {
  const visible = content.sections
    .map((section) => ({ ...section, articles: section.articles.filter((article) => !article.excluded) }))
    .filter((section) => section.articles.length > 0);
  const topStory =
    content.topStory && !content.topStory.excluded ? content.topStory : (visible[0]?.articles[0] ?? null);
  const sections = visible
    .map((section) => ({
      ...section,
      articles: section.articles.filter((article) => article.articleId !== topStory?.articleId),
    }))
    .filter((section) => section.articles.length > 0);
  return { ...content, topStory, sections };
}

/** U+2060 WORD JOINER: invisible, and it splits a token so `personalize` no longer sees one. */
const WORD_JOINER = '\u2060';

/**
 * Source text is not allowed to carry personalization tokens: a feed title `%%{email}%%`
 * would otherwise be replaced with the reader's address. Each token-shaped run gets an
 * invisible joiner after its first character, repeated until none is left.
 */
export function defuseTokens(value: string): string;
export function defuseTokens(value: string | null): string | null;
export function defuseTokens(value: string | null): string | null {
  if (value === null) return null;
  let out = value;
  for (let pass = 0; pass < 8 && new RegExp(TOKEN_PATTERN.source).test(out); pass++) {
    out = out.replace(TOKEN_PATTERN, (match) => match[0] + WORD_JOINER + match.slice(1));
  }
  return out;
}

/**
 * A link or image from a source that carries a token (say `?e=%25%25%7Bemail%7D%25%25`)
 * would send each reader's address to that host, an image even on open: no link then.
 */
function sourceUrl(value: string | null): string | null {
  const url = toHttpUrl(value);
  return url && !new RegExp(TOKEN_PATTERN.source).test(url) ? url : null;
}

/** A BCP 47 tag fit for an attribute, or null: ingest may have kept whatever a page declared. */
function languageTag(value: string | null | undefined): string | null {
  const tag = value?.trim();
  if (!tag || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** The article's `lang` when its language is not the email's (compared by base language: en-GB in en is the same). */
export function articleLang(language: string | null | undefined, emailLang: string): string | null {
  const tag = languageTag(language);
  return tag && baseLanguage(tag) !== baseLanguage(emailLang) ? tag : null;
}

function toView(
  article: EditionArticle,
  content: SegmentContent,
  intlLocale: string,
  images: ImageLinker,
  link: (url: string | null) => string | null,
): ArticleView {
  return {
    id: article.articleId,
    category: article.category,
    title: defuseTokens(article.title),
    summary: article.summary?.trim() ? defuseTokens(article.summary) : null,
    // The article's own link, or its `/c/` link (analytics: aggregate, render/click-links.ts).
    url: link(sourceUrl(article.url)),
    // Readers see the source's title, never its configuration name.
    source: defuseTokens(article.sourceTitle || article.source),
    author: defuseTokens(article.author),
    // The proxied link, the source's own, or null (config `images`, render/image-links.ts).
    imageUrl: images(sourceUrl(article.imageUrl)),
    publishedAt: article.publishedAt,
    time: formatArticleTime(article.publishedAt, content.edition.slot, intlLocale, content.timezone),
    lang: articleLang(article.language, intlLocale),
    alsoIn: (article.alsoIn ?? []).map((link) => ({ source: defuseTokens(link.source), url: sourceUrl(link.url) })),
  };
}

export interface ContextInput {
  content: SegmentContent;
  intlLocale: string;
  translator: Translator;
  shortened: boolean;
  subject?: string;
  preheader?: string;
  /** What article images become (config `images`); default: the source's own URL. */
  images?: ImageLinker;
  /** What article links become (newsletters[].analytics); default: the source's own URL. */
  links?: ArticleLinker;
}

function webReaderView(links: WebReaderLinks): WebReaderLinks & { hasLinks: boolean } {
  const archiveUrl = toHttpUrl(links.archiveUrl);
  const signupUrl = toHttpUrl(links.signupUrl);
  return { archiveUrl, signupUrl, hasLinks: Boolean(archiveUrl || signupUrl) };
}

const DIRECT_IMAGES: ImageLinker = (imageUrl) => imageUrl;

export function buildTemplateContext(input: ContextInput): DigestContext {
  const { content, intlLocale, translator } = input;
  const images = input.images ?? DIRECT_IMAGES;
  const linkIn = (section: string, article: EditionArticle) => (url: string | null) =>
    input.links ? input.links(url, { editionId: content.edition.id, articleId: article.articleId, section }) : url;
  const sections = content.sections.map((section) => ({
    slug: section.slug,
    title: section.title,
    articles: section.articles.map((article) =>
      toView(article, content, intlLocale, images, linkIn(section.slug, article)),
    ),
  }));
  const topStory = content.topStory
    ? toView(content.topStory, content, intlLocale, images, linkIn(TOP_STORY_SECTION, content.topStory))
    : null;
  return {
    lang: intlLocale,
    dir: translator.translate('dir') === 'rtl' ? 'rtl' : 'ltr',
    newsletter: {
      id: content.newsletter.id,
      title: content.newsletter.title,
      description: content.newsletter.description,
      postalAddress: content.newsletter.postalAddress,
    },
    edition: {
      id: content.edition.id,
      slot: content.edition.slot,
      articleCount: sections.reduce((sum, section) => sum + section.articles.length, topStory ? 1 : 0),
    },
    date: formatDate(content.edition.slot, 'medium', intlLocale, content.timezone),
    dateLong: formatDate(content.edition.slot, 'long', intlLocale, content.timezone),
    subject: input.subject ?? '',
    preheader: input.preheader ?? '',
    intro: content.edition.intro?.trim() ? content.edition.intro : null,
    topStory,
    sections,
    shortened: input.shortened,
    webVersionUrl: toHttpUrl(content.webVersionUrl) ?? '%%{view_url}%%',
    webReader: content.webReader ? webReaderView(content.webReader) : null,
  };
}
