/**
 * An edition: one dated send of a newsletter, keyed `newsletter/slot`.
 * Its content is frozen when it is built; picks (curation) are applied on top.
 */
export type EditionStatus = 'draft' | 'approved' | 'sending' | 'sent' | 'skipped';

/** One article as frozen into an edition, with the editor's pick applied. */
export interface EditionArticle {
  articleId: string;
  /** The section it appears in: one of the newsletter's category slugs. */
  category: string;
  title: string;
  summary: string | null;
  /**
   * Who wrote the summary: `extractive` (the offline summarizer), `llm:<model>` (summaries.llm)
   * or `editor` (an editor's rewrite). Editions built before it was kept read as `extractive`.
   */
  summaryEngine?: string;
  url: string | null;
  /** The configured source name (blocks and filters use it). */
  source: string;
  /** The name readers see: `sources[].title`, else the feed's or site's own name, else `source`. */
  sourceTitle: string;
  author: string | null;
  imageUrl: string | null;
  publishedAt: string | null;
  /** BCP 47 tag as ingest found it (`ru`, `de-at`); null when unknown, absent in editions built before it was kept. */
  language?: string | null;
  /** The same story from other sources (near-duplicates collapsed at build time); absent when told once. */
  alsoIn?: AlsoInLink[];
  position: number;
  pinned: boolean;
  excluded: boolean;
}

export interface Edition {
  id: string;
  newsletterId: string;
  /** ISO 8601 with the newsletter's UTC offset, e.g. 2026-11-28T07:00:00+01:00. */
  slot: string;
  status: EditionStatus;
  statusReason: string | null;
  intro: string | null;
  builtAt: string;
  approvedAt: string | null;
  /** Who approved it (an editor's name, or `--by` of the CLI); null while not approved. */
  approvedBy: string | null;
  /** Curated order: pinned first, then by position; excluded articles included, flagged. */
  articles: EditionArticle[];
  /** Who it must reach, recorded when its send starts; null before (or for editions sent before it was kept). */
  audience?: EditionAudience | null;
}

/**
 * The readers an edition must reach and how far queuing them has come. The audience is
 * bounded by the largest subscriber id when the send started (later subscribers wait for
 * the next edition); queuing gives each reader a pending ledger row, page by page in id
 * order, so it can resume after `queuedThrough` whoever stopped.
 */
export interface EditionAudience {
  /** The largest subscriber id of the audience. */
  maxSubscriberId: number;
  /** Readers in the audience when it was recorded. */
  total: number;
  /** Every reader of the audience with an id up to this one has a ledger row. */
  queuedThrough: number;
  /** Why queuing stopped on purpose (`send --limit`): workers leave it; the next send goes on. */
  heldBy: string | null;
}

/** Every reader of the audience has a ledger row. */
export function isFullyQueued(audience: EditionAudience): boolean {
  return audience.queuedThrough >= audience.maxSubscriberId;
}

/**
 * Readers not queued yet: the audience less the rows the ledger has (0 once queuing is
 * complete). Readers who left before their turn still count until queuing passes them.
 */
export function notYetQueued(audience: EditionAudience | null | undefined, ledgerRows: number): number {
  if (!audience || isFullyQueued(audience)) return 0;
  return Math.max(0, audience.total - ledgerRows);
}

/** Another source's article of the same story. */
export interface AlsoInLink {
  articleId: string;
  source: string;
  url: string | null;
}

/** What an edition freezes of each article when it is built. */
export type ArticleSnapshot = Pick<
  EditionArticle,
  | 'title'
  | 'summary'
  | 'summaryEngine'
  | 'url'
  | 'source'
  | 'sourceTitle'
  | 'author'
  | 'imageUrl'
  | 'publishedAt'
  | 'language'
  | 'alsoIn'
>;

export function snapshotOf(
  article: Omit<ArticleSnapshot, 'sourceTitle'> & { sourceTitle?: string | null },
): ArticleSnapshot {
  const { title, summary, url, source, sourceTitle, author, imageUrl, publishedAt } = article;
  // Editions frozen before source titles existed show the configured name.
  const snapshot: ArticleSnapshot = {
    title,
    summary,
    url,
    source,
    sourceTitle: sourceTitle || source,
    author,
    imageUrl,
    publishedAt,
    language: article.language ?? null,
  };
  // Kept in the snapshot's JSON (no migration); absent (older editions, added articles) reads as extractive.
  if (article.summaryEngine && article.summaryEngine !== 'extractive') snapshot.summaryEngine = article.summaryEngine;
  // Kept in the snapshot's JSON (no migration); editions built before it have none.
  if (article.alsoIn?.length)
    snapshot.alsoIn = article.alsoIn.map(({ articleId, source: name, url: link }) => ({
      articleId,
      source: name,
      url: link,
    }));
  return snapshot;
}
