import type { NewsletterConfig } from '../config/schema.ts';
import { parseDuration } from '../core/duration.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { ArticleStore } from '../ingest/article-store.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { Edition, EditionStatus } from './edition.ts';
import type { EditionStore } from './edition-store.ts';
import type { ClusterOptions } from './cluster-stories.ts';
import { DEFAULT_CLUSTER_OPTIONS } from '../config/content-schema.ts';
import { collapseStories } from './collapse-stories.ts';
import { selectArticles } from './select-articles.ts';
import { type ArticleSignal, selectRankedPool } from './ranked-pool.ts';
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
  /**
   * A ranked cadence stream's signal (ranked-pool.ts): what editors and readers did with
   * the window's articles in the newsletter's shorter streams. Absent: recency alone.
   */
  poolSignal?: (
    newsletter: NewsletterConfig,
    window: { since: Date | null; until: Date },
  ) => Promise<ReadonlyMap<string, ArticleSignal>>;
}

/** Statuses of an edition that reached readers (`sending`: some of them already). */
const WENT_OUT: ReadonlySet<EditionStatus> = new Set(['sent', 'sending']);

/**
 * The time range an edition draws from; `since` null means "from the beginning".
 * `since-last` starts at the last edition that actually went out: a skipped, missed or
 * still undecided edition before it did not (an undecided one's articles are kept out as
 * used, a skipped one's return to the pool). `returnedArticleIds`: articles of editions
 * skipped since the edition before that one, which may predate `since` (a draft decided
 * only after the last edition was built held them back from it).
 */
export async function windowFor(
  newsletter: NewsletterConfig,
  slotUtc: Date,
  editions: EditionStore,
): Promise<{ since: Date | null; until: Date; includeSeenSince: boolean; returnedArticleIds: string[] }> {
  if (newsletter.window === 'since-last') {
    const returned: string[] = [];
    const lastOut = await lastWentOutBefore(editions, newsletter.id, slotUtc, returned);
    if (lastOut) await lastWentOutBefore(editions, newsletter.id, new Date(lastOut.slot), returned);
    // "Everything since the previous edition" includes a story published before it but
    // ingested after it: otherwise a late feed would lose it to both editions.
    return {
      since: lastOut ? new Date(lastOut.slot) : null,
      until: slotUtc,
      includeSeenSince: true,
      returnedArticleIds: [...new Set(returned)],
    };
  }
  return {
    since: await periodStart(newsletter, slotUtc, parseDuration(newsletter.window)!, editions),
    until: slotUtc,
    includeSeenSince: false,
    returnedArticleIds: [],
  };
}

/**
 * Where a fixed window starts. A cadence stream's window also reaches back to its
 * previous edition's slot when that is earlier (within two windows): across the end of
 * summer time a 7d window is an hour shorter than the week between two Monday slots, and
 * a reader who changed cadence must not lose that hour (issue 26, "no period skipped").
 */
async function periodStart(
  newsletter: NewsletterConfig,
  slotUtc: Date,
  windowMs: number,
  editions: EditionStore,
): Promise<Date> {
  const fixed = slotUtc.getTime() - windowMs;
  if (!newsletter.cadence) return new Date(fixed);
  const previous = await editions.findPreviousEdition(newsletter.id, slotUtc);
  const previousAt = previous ? Date.parse(previous.slot) : Number.POSITIVE_INFINITY;
  return new Date(previousAt < fixed && previousAt >= fixed - windowMs ? previousAt : fixed);
}

/** The newsletter's last edition before an instant that went out; collects the articles of skipped ones passed on the way. */
async function lastWentOutBefore(
  editions: EditionStore,
  newsletterId: string,
  before: Date,
  skippedArticles: string[],
): Promise<Edition | null> {
  let previous = await editions.findPreviousEdition(newsletterId, before);
  while (previous && !WENT_OUT.has(previous.status)) {
    if (previous.status === 'skipped') skippedArticles.push(...previous.articles.map((article) => article.articleId));
    previous = await editions.findPreviousEdition(newsletterId, new Date(previous.slot));
  }
  return previous;
}

/** Articles of skipped editions that the window does not reach (still in the store). */
async function returnedToPool(
  articles: ArticleStore,
  ids: readonly string[],
  inWindow: readonly StoredArticle[],
): Promise<StoredArticle[]> {
  const have = new Set(inWindow.map((article) => article.id));
  const found = await Promise.all(ids.filter((id) => !have.has(id)).map((id) => articles.getArticle(id)));
  return found.filter((article): article is StoredArticle => article !== null);
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
  const { since, until, includeSeenSince, returnedArticleIds } = await windowFor(newsletter, slotUtc, deps.editions);
  // One past the slot minute: an article stamped within the slot minute belongs to it.
  const candidates = await deps.articles.listArticles({
    since: since ?? undefined,
    orSeenSince: includeSeenSince && since ? since : undefined,
    until: new Date(until.getTime() + 60_000),
  });
  // Articles of editions skipped since the last one sent return to the pool.
  candidates.push(...(await returnedToPool(deps.articles, returnedArticleIds, candidates)));
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
  const stories = collapseStories(allowed, {
    ...(deps.dedupe ?? DEFAULT_CLUSTER_OPTIONS),
    categories: newsletter.categories,
    takesUnsorted: Boolean(newsletter.otherSection),
    alreadyUsed: used,
  });
  const window = { since, until: slot.utc };
  const picked = newsletter.cadence?.ranked
    ? selectRankedPool(
        stories.articles,
        newsletter,
        used,
        (await deps.poolSignal?.(newsletter, window)) ?? new Map(),
        window,
      )
    : selectArticles(stories.articles, newsletter, used);
  const selected = picked.map((article) => {
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
      id,
      newsletterId: newsletter.id,
      slot: slot.iso,
      status,
      statusReason,
      intro: null,
      builtAt: deps.clock.now().toISOString(),
      approvedAt: null,
      approvedBy: null,
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
    {
      edition: id,
      articles: selected.length,
      candidates: candidates.length,
      stories: stories.articles.length,
      since: since?.toISOString() ?? null,
      status: edition.status,
    },
    'edition built',
  );
  return edition;
}
