import type { ArticleSnapshot, Edition, EditionArticle, EditionStatus } from '../../editions/edition.ts';

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

export const EDITION_COLUMNS = 'id, newsletter_id, slot, slot_utc, status, status_reason, intro, built_at, approved_at, approved_by';

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
      row.summary_override !== null && row.summary_override !== snapshot.summary ? 'editor' : (snapshot.summaryEngine ?? 'extractive'),
    position: row.position,
    pinned: row.pinned === 1,
    excluded: row.excluded === 1,
  };
}

export function toEdition(row: EditionRow, articles: EditionArticle[]): Edition {
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
  };
}
