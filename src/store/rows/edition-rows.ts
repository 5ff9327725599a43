import type {
  ArticleSnapshot,
  Edition,
  EditionArticle,
  EditionAudience,
  EditionStatus,
} from '../../editions/edition.ts';

/**
 * The editions tables as both stores (SQLite and PostgreSQL) hold them, and the one
 * mapping from their rows to editions: the same columns give the same edition.
 */
export interface EditionRow {
  id: string;
  newsletter_id: string;
  slot: string;
  slot_utc: string;
  status: EditionStatus;
  status_reason: string | null;
  intro: string | null;
  built_at: string;
  approved_at: string | null;
  approved_by: string | null;
  audience_max_id: number | string | null;
  audience_total: number | null;
  queued_through: number | string;
  queue_held_by: string | null;
}

export interface EditionArticleRow {
  article_id: string;
  category: string;
  position: number;
  pinned: number;
  excluded: number;
  title_override: string | null;
  summary_override: string | null;
  /** JSON of the ArticleSnapshot frozen at build time. */
  snapshot: string;
}

export const EDITION_COLUMNS =
  'id, newsletter_id, slot, slot_utc, status, status_reason, intro, built_at, approved_at, approved_by, audience_max_id, audience_total, queued_through, queue_held_by';

export function toEditionArticle(row: EditionArticleRow): EditionArticle {
  const snapshot = JSON.parse(row.snapshot) as ArticleSnapshot;
  return {
    articleId: row.article_id,
    category: row.category,
    ...snapshot,
    // The editor's override always wins over the frozen source text.
    title: row.title_override ?? snapshot.title,
    summary: row.summary_override ?? snapshot.summary,
    // The desk's edit form posts the summary with the title: only a changed text is the editor's.
    summaryEngine:
      row.summary_override !== null && row.summary_override !== snapshot.summary
        ? 'editor'
        : (snapshot.summaryEngine ?? 'extractive'),
    position: row.position,
    pinned: row.pinned === 1,
    excluded: row.excluded === 1,
  };
}

export function toEdition(row: EditionRow, articles: EditionArticle[]): Edition {
  const audience = toAudience(row);
  return {
    id: row.id,
    newsletterId: row.newsletter_id,
    slot: row.slot,
    status: row.status,
    statusReason: row.status_reason,
    intro: row.intro,
    builtAt: row.built_at,
    approvedAt: row.approved_at,
    approvedBy: row.approved_at ? row.approved_by : null,
    articles,
    // Only when recorded: editions not being sent look as they always did.
    ...(audience ? { audience } : {}),
  };
}

/** PostgreSQL returns BIGINT as text: ids are numbers in the app. */
export function toAudience(
  row: Pick<EditionRow, 'audience_max_id' | 'audience_total' | 'queued_through' | 'queue_held_by'>,
): EditionAudience | null {
  if (row.audience_max_id === null || row.audience_max_id === undefined) return null;
  return {
    maxSubscriberId: Number(row.audience_max_id),
    total: row.audience_total ?? 0,
    queuedThrough: Number(row.queued_through),
    heldBy: row.queue_held_by,
  };
}
