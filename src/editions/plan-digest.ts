import { createHash } from 'node:crypto';
import type { CategoryConfig, NewsletterConfig } from '../config/schema.ts';
import type { SegmentContent } from './segment-content.ts';
import { toHttpUrl } from '../core/http-url.ts';
import { baseLanguage, localeChain } from '../core/locale-tag.ts';
import type { Edition, EditionArticle } from './edition.ts';
import { capAfterRemoval } from './reader-caps.ts';

/** What the planner needs to know about one subscriber. */
export interface DigestReader {
  locale: string | null;
  timezone: string | null;
  /** The subset of the newsletter's categories the subscriber chose; null = all. */
  categories: readonly string[] | null;
  /** Languages the reader reads (subscriber files); null or absent: their locale's language. */
  languages?: readonly string[] | null;
}

export type DigestPlan = { skip: string } | { segmentKey: string; articleIds: string[]; content: SegmentContent };

/**
 * The edition's articles as the editor left them: excluded ones gone, the pinned top
 * story first, then section by section in the newsletter's order, by position.
 */
export function curatedArticles(edition: Edition, categoryOrder: readonly string[]): EditionArticle[] {
  const rank = (slug: string) => {
    const index = categoryOrder.indexOf(slug);
    return index === -1 ? categoryOrder.length : index;
  };
  return edition.articles
    .filter((article) => !article.excluded)
    .sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        rank(a.category) - rank(b.category) ||
        a.position - b.position ||
        a.articleId.localeCompare(b.articleId),
    );
}

export type TopStoryRule = 'pinned' | 'most recent of the first section';

const timeOf = (article: EditionArticle) =>
  article.publishedAt ? Date.parse(article.publishedAt) : Number.NEGATIVE_INFINITY;
const hasImage = (article: EditionArticle) => toHttpUrl(article.imageUrl) !== null;

/**
 * The top story of a curated list and the rule that chose it: the pinned article; else
 * the most recent article of the first section (today's news beats a days-old story
 * with a picture); an image only breaks a tie in time.
 */
export function chooseTopStoryWithRule(
  curated: readonly EditionArticle[],
): { article: EditionArticle; rule: TopStoryRule } | null {
  const pinned = curated.find((a) => a.pinned);
  if (pinned) return { article: pinned, rule: 'pinned' };
  const first = curated[0];
  if (!first) return null;
  const section = curated.filter((a) => a.category === first.category);
  const best = section.reduce((top, a) =>
    timeOf(a) > timeOf(top) || (timeOf(a) === timeOf(top) && hasImage(a) && !hasImage(top)) ? a : top,
  );
  return { article: best, rule: 'most recent of the first section' };
}

export function chooseTopStory(curated: readonly EditionArticle[]): EditionArticle | null {
  return chooseTopStoryWithRule(curated)?.article ?? null;
}

/** A category's title in a locale: `titles` by locale chain (de-CH → de), else `title`, else the slug. */
export function categoryTitle(category: CategoryConfig | undefined, slug: string, locale: string): string {
  if (!category) return slug;
  const titles = Object.fromEntries(
    Object.entries(category.titles ?? {}).map(([code, title]) => [code.toLowerCase(), title]),
  );
  for (const code of localeChain(locale)) {
    if (titles[code]) return titles[code];
  }
  return category.title;
}

/**
 * Whether `language` is one a reader of `locale` reads (their `languages`, else their
 * locale's language). An article of unknown language counts as read: leaving it out
 * would hide what the language guess missed. With `any` every article counts.
 */
export function readsLanguage(
  mode: NewsletterConfig['languages'],
  locale: string,
  language: string | null | undefined,
  readerLanguages?: readonly string[] | null,
): boolean {
  if (mode === 'any' || !language?.trim()) return true;
  if (readerLanguages?.length) return readerLanguages.some((tag) => baseLanguage(tag) === baseLanguage(language));
  return baseLanguage(language) === baseLanguage(locale);
}

/** The languages a reader reads, as their skip reason names them. */
function readerLanguageList(reader: DigestReader, locale: string): string {
  return (reader.languages?.length ? reader.languages.map(baseLanguage) : [baseLanguage(locale)]).join(', ');
}

/** Stable sort: what `first` accepts before the rest, each part in its given order. */
function firstWhere<T>(items: readonly T[], first: (item: T) => boolean): T[] {
  return [...items.filter(first), ...items.filter((item) => !first(item))];
}

/**
 * What one reader gets of the edition, before the thin rule: their chosen topics when
 * these have enough new stories; otherwise the whole edition with their topics first
 * (docs/design-notes.md, "A thin edition per reader"). `languages: strict` removes
 * articles in other languages; the default only ranks them last.
 */
function selectForReader(
  curated: readonly EditionArticle[],
  newsletter: NewsletterConfig,
  reader: DigestReader,
  received: ReadonlySet<string>,
  readable: (a: EditionArticle) => boolean,
) {
  const fresh = curated.filter(
    (article) => !received.has(article.articleId) && (newsletter.languages !== 'strict' || readable(article)),
  );
  const chosen = reader.categories?.length
    ? newsletter.categories.filter((slug) => reader.categories!.includes(slug))
    : newsletter.categories;
  const mine = fresh.filter((article) => chosen.includes(article.category));
  if (mine.length >= Math.max(1, newsletter.minArticles)) return { articles: mine, sectionOrder: chosen };
  return {
    articles: fresh,
    sectionOrder: [...chosen, ...newsletter.categories.filter((slug) => !chosen.includes(slug))],
  };
}

/** Why a reader gets nothing (a skip reason: `deliveries`, `send` output, the desk). */
function thinReason(
  newsletter: NewsletterConfig,
  reader: DigestReader,
  locale: string,
  unseen: number,
  count: number,
): string {
  if (unseen === 0) return 'already received every article of this edition';
  if (count === 0 && newsletter.languages === 'strict')
    return `no article in their languages (${readerLanguageList(reader, locale)}; languages: strict)`;
  return `thin: ${count} new article(s) for this reader, the minimum is ${newsletter.minArticles}`;
}

/** A ranked pool's best story for a reader: the first by position of their first section that has one they read. */
function bestRanked(
  articles: readonly EditionArticle[],
  sectionOrder: readonly string[],
  readable: (a: EditionArticle) => boolean,
): EditionArticle | null {
  for (const slug of sectionOrder) {
    const first = articles.filter((a) => a.category === slug && readable(a)).sort((a, b) => a.position - b.position)[0];
    if (first) return first;
  }
  return null;
}

/** What a plan needs of its edition, computed once per edition rather than once per reader. */
interface PreparedEdition {
  edition: Edition;
  newsletter: NewsletterConfig;
  curated: EditionArticle[];
  /** The newsletter's categories with their titles in a locale (kept per locale). */
  titlesIn(locale: string): { slug: string; title: string }[];
  webVersionUrl: string | null;
}

/** Plans readers of one edition: planDigest with the edition's own work done once (a send plans every reader). */
export interface DigestPlanner {
  readonly edition: Edition;
  plan(reader: DigestReader, received: ReadonlySet<string>): DigestPlan;
}

export function digestPlanner(
  edition: Edition,
  newsletter: NewsletterConfig,
  categories: Record<string, CategoryConfig>,
  webVersionUrl: string | null,
): DigestPlanner {
  const byLocale = new Map<string, { slug: string; title: string }[]>();
  const prepared: PreparedEdition = {
    edition,
    newsletter,
    curated: curatedArticles(edition, newsletter.categories),
    titlesIn: (locale) => {
      let titles = byLocale.get(locale);
      if (!titles) {
        titles = newsletter.categories.map((slug) => ({ slug, title: categoryTitle(categories[slug], slug, locale) }));
        byLocale.set(locale, titles);
      }
      return titles;
    },
    webVersionUrl,
  };
  return { edition, plan: (reader, received) => planPrepared(prepared, reader, received) };
}

/**
 * Decides what one subscriber gets from an edition: the sections they chose (or the
 * whole edition, their sections first, when theirs are thin), articles in their
 * languages first (only those with `languages: strict`), without articles they already
 * received, or a skip when even that is thin.
 * Subscribers with the same result share a segment key and are rendered once.
 */
export function planDigest(
  edition: Edition,
  newsletter: NewsletterConfig,
  categories: Record<string, CategoryConfig>,
  reader: DigestReader,
  received: ReadonlySet<string>,
  webVersionUrl: string | null,
): DigestPlan {
  return digestPlanner(edition, newsletter, categories, webVersionUrl).plan(reader, received);
}

function planPrepared(prepared: PreparedEdition, reader: DigestReader, received: ReadonlySet<string>): DigestPlan {
  const { edition, newsletter, curated } = prepared;
  const locale = reader.locale ?? newsletter.locale;
  const readable = (article: EditionArticle) =>
    readsLanguage(newsletter.languages ?? 'subscriber', locale, article.language, reader.languages);
  const selected = selectForReader(curated, newsletter, reader, received, readable);
  const { sectionOrder } = selected;
  // A cadence stream's ranked pool is larger than one reader's share: the caps apply to what is left for them.
  const articles = newsletter.cadence?.ranked
    ? capAfterRemoval(selected.articles, sectionOrder, newsletter)
    : selected.articles;
  if (articles.length === 0 || articles.length < newsletter.minArticles) {
    const unseen = curated.filter((article) => !received.has(article.articleId)).length;
    return { skip: thinReason(newsletter, reader, locale, unseen, articles.length) };
  }
  // The editor's pinned story leads for everyone; otherwise the top story is in the reader's language when one is.
  const topStory =
    articles.find((a) => a.pinned) ??
    (newsletter.cadence?.ranked ? bestRanked(articles, sectionOrder, readable) : null) ??
    chooseTopStory(articles.filter(readable)) ??
    chooseTopStory(articles)!;
  const titles = prepared.titlesIn(locale);
  const sections = sectionOrder
    .map((slug) => ({
      slug,
      title: titles.find((entry) => entry.slug === slug)?.title ?? slug,
      articles: firstWhere(
        articles.filter((a) => a.category === slug && a !== topStory),
        readable,
      ),
    }))
    .filter((section) => section.articles.length > 0);
  const timezone = reader.timezone ?? newsletter.timezone;
  const articleIds = [topStory.articleId, ...sections.flatMap((s) => s.articles.map((a) => a.articleId))];
  const segmentKey = createHash('sha256')
    .update(JSON.stringify([locale, timezone, articleIds, sections.map((s) => s.slug)]))
    .digest('hex')
    .slice(0, 16);
  return {
    segmentKey,
    articleIds,
    content: {
      newsletter: {
        id: newsletter.id,
        title: newsletter.title,
        description: newsletter.description,
        postalAddress: newsletter.postalAddress,
        categories: titles.map((entry) => ({ ...entry })),
      },
      edition: { id: edition.id, slot: edition.slot, intro: edition.intro },
      topStory,
      sections,
      locale,
      timezone,
      webVersionUrl: prepared.webVersionUrl,
    },
  };
}
