import type { TidingsConfig } from '../../config/schema.ts';
import type { Article } from '../../core/article.ts';
import type { AuditEntry } from '../../editions/audit-log.ts';
import type { Edition, EditionArticle } from '../../editions/edition.ts';
import { chooseTopStoryWithRule, curatedArticles } from '../../editions/plan-digest.ts';
import { toHttpUrl } from '../../core/http-url.ts';

/** An article of the store offered for adding or found by a search. */
type StoredArticle = Article & { sourceTitle: string | null };
import { deskTime } from './desk-time.ts';
import { streamTitle } from './stream-title.ts';

const READ_ONLY = new Set(['sending', 'sent']);

function articleView(
  article: EditionArticle,
  index: number,
  count: number,
  sections: { slug: string; title: string }[],
  top: string | null,
  zone: string,
) {
  return {
    id: article.articleId,
    title: article.title,
    summary: article.summary,
    summaryEngine: article.summaryEngine ?? 'extractive',
    summaryByModel: (article.summaryEngine ?? '').startsWith('llm:'),
    url: toHttpUrl(article.url),
    sourceTitle: article.sourceTitle,
    source: article.source,
    time: deskTime(article.publishedAt, zone),
    imageUrl: toHttpUrl(article.imageUrl),
    pinned: article.pinned,
    isTop: article.articleId === top,
    first: index === 0,
    last: index === count - 1,
    otherSections: sections.filter((s) => s.slug !== article.category),
    // The same story from other sources (each story once): readers see these as "also in".
    alsoIn: (article.alsoIn ?? []).map((link) => ({
      source: link.source,
      url: toHttpUrl(link.url),
      articleId: link.articleId,
    })),
  };
}

const storedView = (article: StoredArticle, zone: string) => ({
  id: article.id,
  title: article.title,
  sourceTitle: article.sourceTitle || article.source,
  time: deskTime(article.publishedAt, zone),
  categories: article.categories.join(', '),
});

/** Everything the edition page shows, already shaped for the view (no logic in templates). */
export function buildEditionView(
  ctx: { config: Pick<TidingsConfig, 'newsletters' | 'categories'> },
  edition: Edition,
  extra: {
    addable: StoredArticle[];
    found: StoredArticle[] | null;
    query: string;
    audit: AuditEntry[];
    subscribers: string[];
    locales: string[];
  },
) {
  const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId)!;
  // Every time on the page in the newsletter's zone (desk-time.ts says why).
  const zone = newsletter.timezone;
  const sections = newsletter.categories.map((slug) => ({ slug, title: ctx.config.categories[slug]?.title ?? slug }));
  const curated = curatedArticles(edition, newsletter.categories);
  const top = chooseTopStoryWithRule(curated);
  const topId = top?.article.articleId ?? null;
  return {
    id: edition.id,
    newsletterTitle: streamTitle(newsletter),
    status: edition.status,
    statusReason: edition.statusReason,
    slot: deskTime(edition.slot, zone),
    approvedBy: edition.approvedBy,
    approvedAt: deskTime(edition.approvedAt, zone),
    requireApproval: newsletter.requireApproval,
    readOnly: READ_ONLY.has(edition.status),
    canApprove: edition.status === 'draft',
    canUnapprove: edition.status === 'approved',
    intro: edition.intro ?? '',
    topStory: top ? { title: top.article.title, rule: top.rule } : null,
    sections: sections.map((section) => {
      const articles = curated.filter((a) => a.category === section.slug && !a.pinned);
      return {
        ...section,
        articles: articles.map((a, i) => articleView(a, i, articles.length, sections, topId, zone)),
      };
    }),
    pinned: curated.filter((a) => a.pinned).map((a) => articleView(a, 0, 1, sections, topId, zone)),
    excluded: edition.articles.filter((a) => a.excluded).map((a) => articleView(a, 0, 1, sections, topId, zone)),
    addable: extra.addable.map((article) => storedView(article, zone)),
    found: extra.found?.map((article) => storedView(article, zone)) ?? null,
    query: extra.query,
    sectionOptions: sections,
    audit: extra.audit.map((entry) => ({
      ...entry,
      at: deskTime(entry.at, zone),
      details: summarizeDetails(entry.details),
    })),
    subscribers: extra.subscribers,
    locales: extra.locales,
  };
}

function summarizeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ')
    .slice(0, 300);
}
