import type { EditionFeedbackCounts } from '../../delivery/delivery-events.ts';

/** One row of the per-edition, per-kind counts of delivery_events, as both stores (SQLite and PostgreSQL) read them. */
export interface FeedbackCountRow {
  edition_id: string;
  kind: string;
  /** Distinct subscribers with an event of this kind. */
  n: number;
}

export function toFeedbackCounts(rows: readonly FeedbackCountRow[]): Map<string, EditionFeedbackCounts> {
  const counts = new Map<string, EditionFeedbackCounts>();
  for (const row of rows) {
    const entry = counts.get(row.edition_id) ?? { hardBounces: 0, softBounces: 0, complaints: 0 };
    if (row.kind === 'hard-bounce') entry.hardBounces = row.n;
    else if (row.kind === 'soft-bounce') entry.softBounces = row.n;
    else if (row.kind === 'complaint') entry.complaints = row.n;
    counts.set(row.edition_id, entry);
  }
  return counts;
}
