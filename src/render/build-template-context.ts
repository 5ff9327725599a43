import type { EditionArticle } from '../editions/edition.ts';
import type { SegmentContent } from './render-types.ts';
import { toHttpUrl } from '../core/http-url.ts';
import { formatArticleTime, formatDate } from './intl-dates.ts';
import type { Translator } from './locale-strings.ts';

/**
 * The object the templates see (documented in docs/templates.md). URLs are already
 * reduced to http(s) or null here, so even an override template that forgets the
 * `httpUrl` helper cannot link a javascript: URL.
 */
export interface ArticleView {
  id: string;
  category: string;
  title: string;
  summary: string | null;
  url: string | null;
  source: string;
  author: string | null;
  imageUrl: string | null;
  publishedAt: string | null;
  /** Publication time in the reader's locale and zone: "07:15", or "27 Nov, 18:40" on another day. */
  time: string;
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
}

/** The segment with its top story settled: the pinned one, else the first article, never shown twice. */
export function settleTopStory(content: SegmentContent): SegmentContent {
  const visible = content.sections
    .map((section) => ({ ...section, articles: section.articles.filter((article) => !article.excluded) }))
    .filter((section) => section.articles.length > 0);
  const topStory = content.topStory && !content.topStory.excluded ? content.topStory : (visible[0]?.articles[0] ?? null);
  const sections = visible
    .map((section) => ({ ...section, articles: section.articles.filter((article) => article.articleId !== topStory?.articleId) }))
    .filter((section) => section.articles.length > 0);
  return { ...content, topStory, sections };
}

function toView(article: EditionArticle, content: SegmentContent, intlLocale: string): ArticleView {
  return {
    id: article.articleId,
    category: article.category,
    title: article.title,
    summary: article.summary?.trim() ? article.summary : null,
    url: toHttpUrl(article.url),
    source: article.source,
    author: article.author,
    imageUrl: toHttpUrl(article.imageUrl),
    publishedAt: article.publishedAt,
    time: formatArticleTime(article.publishedAt, content.edition.slot, intlLocale, content.timezone),
  };
}

export interface ContextInput {
  content: SegmentContent;
  intlLocale: string;
  translator: Translator;
  shortened: boolean;
  subject?: string;
  preheader?: string;
}

export function buildTemplateContext(input: ContextInput): DigestContext {
  const { content, intlLocale, translator } = input;
  const sections = content.sections.map((section) => ({
    slug: section.slug,
    title: section.title,
    articles: section.articles.map((article) => toView(article, content, intlLocale)),
  }));
  const topStory = content.topStory ? toView(content.topStory, content, intlLocale) : null;
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
  };
}
