import type { NewsletterConfig } from '../config/schema.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import { snapshotOf, type Edition, type EditionArticle } from './edition.ts';
import { chooseTopStory, curatedArticles } from './plan-digest.ts';

/**
 * The edition of a longer-period cadence stream (a weekly beside a daily, issue 26): the
 * window's best stories, ranked by what editors did with them in the shorter streams'
 * editions, by aggregate clicks and by recency. The pool is larger than one reader's share
 * (POOL_FACTOR times the caps) so that removing what a reader already received still
 * leaves enough; planDigest applies the caps per reader afterwards (capAfterRemoval).
 */

/** How much larger than one reader's share the pool is. */
export const POOL_FACTOR = 3;

/** What editors and readers did with one article in the shorter streams' editions of the window. */
export interface ArticleSignal {
  /** Pinned in an edition that went out. */
  pinned: boolean;
  /** The top story of an edition that went out. */
  top: boolean;
  /** Kept after curation in an edition that went out. */
  kept: boolean;
  /** Excluded by an editor: ranks last. */
  excluded: boolean;
  /** Aggregate clicks (newsletters with `analytics: aggregate`), 0 otherwise. */
  clicks: number;
}

const WENT_OUT = new Set(['sent', 'sending']);

const blankSignal = (): ArticleSignal => ({ pinned: false, top: false, kept: false, excluded: false, clicks: 0 });

/** The editors' signal of each article from editions of the shorter streams (any status; only sent ones count as kept). */
export function editorSignal(
  editions: readonly Edition[],
  categoryOrder: readonly string[],
): Map<string, ArticleSignal> {
  const signal = new Map<string, ArticleSignal>();
  const of = (articleId: string) => {
    const found = signal.get(articleId) ?? blankSignal();
    signal.set(articleId, found);
    return found;
  };
  for (const edition of editions) {
    const wentOut = WENT_OUT.has(edition.status);
    for (const article of edition.articles) {
      if (article.excluded) of(article.articleId).excluded = true;
      else if (wentOut) {
        const entry = of(article.articleId);
        entry.kept = true;
        entry.pinned ||= article.pinned;
      }
    }
    const top = wentOut ? chooseTopStory(curatedArticles(edition, categoryOrder)) : null;
    if (top) of(top.articleId).top = true;
  }
  return signal;
}

/**
 * An article's score: editors first (pinned 8, top story 6, kept 4; excluded −100),
 * then clicks (log scale, up to about 4 for 15 clicks), then recency within the window (0–1).
 */
export function poolScore(signal: ArticleSignal | undefined, recency: number): number {
  const s = signal ?? blankSignal();
  if (s.excluded && !s.kept) return -100 + recency;
  return (s.pinned ? 8 : 0) + (s.top ? 6 : 0) + (s.kept ? 4 : 0) + Math.log2(1 + s.clicks) + recency;
}

const timeOf = (article: StoredArticle) => Date.parse(article.publishedAt ?? article.firstSeenAt);

/**
 * The pool: stories by score, at most POOL_FACTOR × perCategory per section and
 * POOL_FACTOR × maxArticles in all; positions within a section follow the score.
 * `stories` are already collapsed and limited to the window (as selectArticles takes them).
 */
export function selectRankedPool(
  stories: readonly StoredArticle[],
  newsletter: Pick<NewsletterConfig, 'categories' | 'perCategory' | 'maxArticles' | 'otherSection'>,
  alreadyUsed: ReadonlySet<string>,
  signal: ReadonlyMap<string, ArticleSignal>,
  window: { since: Date | null; until: Date },
): Omit<EditionArticle, 'pinned' | 'excluded'>[] {
  const times = stories.map(timeOf);
  const from = window.since?.getTime() ?? Math.min(...times);
  const span = Math.max(1, window.until.getTime() - from);
  const scored = stories
    .filter((article) => !alreadyUsed.has(article.id))
    .map((article) => {
      const section =
        newsletter.categories.find((slug) => article.categories.includes(slug)) ??
        (newsletter.otherSection && article.categoryOrigin === 'none' ? newsletter.otherSection : undefined);
      const recency = Math.min(1, Math.max(0, (timeOf(article) - from) / span));
      return { article, section, score: poolScore(signal.get(article.id), recency) };
    })
    .filter((entry): entry is typeof entry & { section: string } => entry.section !== undefined)
    .sort(
      (a, b) => b.score - a.score || timeOf(b.article) - timeOf(a.article) || a.article.id.localeCompare(b.article.id),
    );
  const perSection = new Map<string, number>();
  const pool: Omit<EditionArticle, 'pinned' | 'excluded'>[] = [];
  for (const { article, section } of scored) {
    if (pool.length >= POOL_FACTOR * newsletter.maxArticles) break;
    const taken = perSection.get(section) ?? 0;
    if (taken >= POOL_FACTOR * newsletter.perCategory) continue;
    perSection.set(section, taken + 1);
    pool.push({ articleId: article.id, category: section, ...snapshotOf(article), position: taken + 1 });
  }
  return pool;
}
