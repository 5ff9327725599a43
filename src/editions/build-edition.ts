import type { NewsletterConfig } from '../config/schema.ts';
import { parseDuration } from '../core/duration.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { ArticleStore, StoredArticle } from '../store/article-store.ts';
import type { Edition } from './edition.ts';
import type { EditionStore } from './edition-store.ts';
import { DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from './cluster-stories.ts';
import { collapseStories } from './collapse-stories.ts';
import { selectArticles } from './select-articles.ts';
import { editionIdFor, slotFor } from './slot.ts';

export interface BuildEditionDeps {
  articles: ArticleStore;
  editions: EditionStore;
  logger: Logger;
  /** When the edition is built (an editor may build tomorrow's slot today). */
  clock: Clock;
  /**
   * Summarizes the chosen articles for this edition: with a model (`summaries.llm`) or the
   * newsletter's own limits (`newsletters[].summary`); absent: the summary from ingest stands.
   * Called for every article at once: the summarizer bounds its own concurrency.
   */
  summarize?: (article: StoredArticle) => Promise<{ summary: string | null; engine: string }>;
  /**
   * False for previews and test sends: an edition not built yet is returned as an
   * unsaved draft, so looking at a future slot never freezes, skips or decides it.
   */
  save?: boolean;
  /** Near-duplicate stories (`dedupe` in the config); the documented defaults when absent. */
  dedupe?: ClusterOptions;
}

/**
 * The time range an edition draws from; `since` null means "from the beginning".
 * `since-last` starts at the previous edition that was not skipped: a thin edition never
 * went out, so its articles (and the ones after it) wait for the next one.
 */
export async function windowFor(
  newsletter: NewsletterConfig,
  slotUtc: Date,
  editions: EditionStore,
): Promise<{ since: Date | null; until: Date; includeSeenSince: boolean }> {
  if (newsletter.window === 'since-last') {
    let previous = await editions.findPreviousEdition(newsletter.id, slotUtc);
    while (previous?.status === 'skipped') previous = await editions.findPreviousEdition(newsletter.id, new Date(previous.slot));
    // "Everything since the previous edition" includes a story published before it but
    // ingested after it: otherwise a late feed would lose it to both editions.
    return { since: previous ? new Date(previous.slot) : null, until: slotUtc, includeSeenSince: true };
  }
  return { since: new Date(slotUtc.getTime() - parseDuration(newsletter.window)!), until: slotUtc, includeSeenSince: false };
}

/**
 * What an edition of the slot may draw from: the window's articles (`since-last` also
 * counts those first seen since the previous edition) from sources no block keeps out,
 * and the ids other editions used or a block names (never drawn). The builder selects
 * from these; the desk's "left out" list is these minus the edition's own, so both
 * follow one rule.
 */
export async function windowCandidates(
  newsletter: NewsletterConfig,
  slotUtc: Date,
  editionId: string,
  deps: Pick<BuildEditionDeps, 'articles' | 'editions'>,
): Promise<{ candidates: StoredArticle[]; allowed: StoredArticle[]; used: Set<string>; since: Date | null }> {
  const { since, until, includeSeenSince } = await windowFor(newsletter, slotUtc, deps.editions);
  // One past the slot minute: an article stamped within the slot minute belongs to it.
  const candidates = await deps.articles.listArticles({
    since: since ?? undefined,
    orSeenSince: includeSeenSince && since ? since : undefined,
    until: new Date(until.getTime() + 60_000),
  });
  const used = await deps.editions.listUsedArticleIds(newsletter.id, editionId);
  // Articles and sources an editor blocked for this newsletter stay out of every later edition.
  const blocks = await deps.editions.listBlocks(newsletter.id);
  const blockedSources = new Set(blocks.filter((b) => b.kind === 'source').map((b) => b.value));
  for (const block of blocks) if (block.kind === 'article') used.add(block.value);
  // Used articles stay in `allowed`: a story with a used member is left out whole (collapseStories).
  const allowed = candidates.filter((article) => !blockedSources.has(article.source));
  return { candidates, allowed, used, since };
}

/**
 * Builds the edition of a newsletter for the slot containing `at`, or returns the
 * one already built: an edition's content is frozen the first time it is built.
 * An edition with fewer than `minArticles` articles is stored as skipped (thin).
 */
export async function buildEdition(newsletter: NewsletterConfig, at: Date, deps: BuildEditionDeps): Promise<Edition> {
  const slot = slotFor(at, newsletter.timezone);
  const id = editionIdFor(newsletter.id, slot);
  const existing = await deps.editions.getEdition(id);
  if (existing) return existing;

  const { candidates, allowed, used, since } = await windowCandidates(newsletter, slot.utc, id, deps);
  const stories = collapseStories(allowed, { ...(deps.dedupe ?? DEFAULT_CLUSTER_OPTIONS), categories: newsletter.categories, alreadyUsed: used });
  const selected = selectArticles(stories.articles, newsletter, used).map((article) => {
    const alsoIn = stories.alsoIn.get(article.articleId);
    return alsoIn ? { ...article, alsoIn } : article;
  });
  if (deps.summarize) {
    const byId = new Map(candidates.map((article) => [article.id, article]));
    const summarize = deps.summarize;
    const written = await Promise.all(selected.map((article) => summarize(byId.get(article.articleId)!)));
    selected.forEach((article, i) => {
      const { summary, engine } = written[i]!;
      if (summary !== null) Object.assign(article, { summary, summaryEngine: engine });
    });
  }
  const thin = selected.length < newsletter.minArticles;
  const status = thin ? 'skipped' : 'draft';
  const statusReason = thin ? `thin: ${selected.length} article(s), the minimum is ${newsletter.minArticles}` : null;
  if (deps.save === false) {
    return {
      id, newsletterId: newsletter.id, slot: slot.iso, status, statusReason, intro: null,
      builtAt: deps.clock.now().toISOString(), approvedAt: null, approvedBy: null,
      articles: selected.map((article) => ({ ...article, pinned: false, excluded: false })),
    };
  }
  const edition = await deps.editions.createEdition(
    {
      id,
      newsletterId: newsletter.id,
      slot: slot.iso,
      slotUtc: slot.utc.toISOString(),
      status,
      statusReason,
      articles: selected,
    },
    deps.clock.now(),
  );
  deps.logger.info(
    { edition: id, articles: selected.length, candidates: candidates.length, stories: stories.articles.length, since: since?.toISOString() ?? null, status: edition.status },
    'edition built',
  );
  return edition;
}
