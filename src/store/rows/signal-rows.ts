import type { UsedApprovalLink } from '../../signal/approval-link-store.ts';
import type { ClickCount } from '../../signal/click-store.ts';

/** A click_counts row as both stores return it (PostgreSQL may give counts as strings). */
export interface ClickCountRow {
  edition_id: string;
  newsletter_id: string;
  slot_utc: string;
  article_id: string;
  section: string;
  source: string;
  clicks: number | string;
  filtered: number | string;
}

export function toClickCount(row: ClickCountRow): ClickCount {
  return {
    editionId: row.edition_id,
    newsletterId: row.newsletter_id,
    slotUtc: row.slot_utc,
    articleId: row.article_id,
    section: row.section,
    source: row.source,
    clicks: Number(row.clicks),
    filtered: Number(row.filtered),
  };
}

export interface ApprovalLinkRow {
  token_hash: string;
  edition_id: string;
  action: string;
  editor: string;
  used_at: string;
}

export function toUsedApprovalLink(row: ApprovalLinkRow): UsedApprovalLink {
  return {
    tokenHash: row.token_hash,
    editionId: row.edition_id,
    action: row.action,
    editor: row.editor,
    usedAt: row.used_at,
  };
}

/** Column order of both stores' inserts. */
export const CLICK_ORDER = 'ORDER BY slot_utc, edition_id, section, article_id';
