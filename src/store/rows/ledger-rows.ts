import type {
  DeliveryCounts,
  DeliveryError,
  DeliveryRow,
  DeliveryStatus,
  EditionDeliverySummary,
  ResolutionSummary,
  ResolveRefusal,
  SubscriberId,
} from '../../delivery/ledger.ts';
import { emptyCounts } from '../../delivery/ledger.ts';

/**
 * The deliveries table as both stores (SQLite and PostgreSQL) hold it, joined with the
 * subscriber's address, and the one mapping from its rows to the ledger's records.
 * `SubscriberIdValue`: what the driver hands back for `subscriber_id`; PostgreSQL's BIGINT
 * arrives as a string (see `withNumericSubscriberId`).
 */
export interface LedgerRow<SubscriberIdValue extends number | string = number> {
  edition_id: string;
  subscriber_id: SubscriberIdValue;
  email: string | null;
  status: DeliveryStatus;
  segment: string | null;
  attempts: number;
  claimed_at: string | null;
  finished_at: string | null;
  message_id: string | null;
  response: string | null;
  error_code: string | null;
  reason: string | null;
  retryable: number;
  /** The operator's decision on an ambiguous row (migration "ambiguous resolutions"). */
  resolution: 'accepted' | 'not-accepted' | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

/**
 * The start of every query for `LedgerRow`s, the same in both engines: the deliveries
 * joined with the subscriber's address when the subscribers table has it.
 */
export const SELECT_LEDGER_ROWS = `
  SELECT d.*, s.email AS email FROM deliveries d
  LEFT JOIN subscribers s ON s.id = d.subscriber_id`;

/** PostgreSQL's adapter: its BIGINT subscriber ids (hashed ids of erased subscribers) arrive as strings. */
export function withNumericSubscriberId(row: LedgerRow<string | number>): LedgerRow {
  return { ...row, subscriber_id: Number(row.subscriber_id) };
}

export function toDeliveryRow(row: LedgerRow): DeliveryRow {
  return {
    editionId: row.edition_id,
    subscriberId: row.subscriber_id,
    email: row.email,
    status: row.status,
    segment: row.segment,
    attempts: row.attempts,
    claimedAt: row.claimed_at,
    finishedAt: row.finished_at,
    messageId: row.message_id,
    response: row.response,
    errorCode: row.error_code,
    reason: row.reason,
    retryable: row.retryable === 1,
    resolution: row.resolution
      ? { decision: row.resolution, by: row.resolved_by ?? '', at: row.resolved_at ?? '' }
      : null,
  };
}

export function toDeliveryError(row: LedgerRow): DeliveryError {
  return {
    subscriberId: row.subscriber_id,
    email: row.email,
    errorCode: row.error_code,
    response: row.response,
    at: row.finished_at,
  };
}

/** One row of an edition's per-status counts. */
export interface StatusCountRow {
  status: DeliveryStatus;
  n: number;
}

export function toDeliveryCounts(rows: readonly StatusCountRow[]): DeliveryCounts {
  const counts = emptyCounts();
  for (const row of rows) {
    counts[row.status] = row.n;
    counts.total += row.n;
  }
  return counts;
}

/** One row of the per-edition, per-status counts behind `Ledger.editions`. */
export interface EditionStatusCountRow extends StatusCountRow {
  edition_id: string;
  last_at: string | null;
}

/**
 * Editions from their per-status counts, the latest activity first. Ordered here, not in
 * SQL: PostgreSQL's collation would order ids unlike SQLite's byte order.
 */
export function toEditionSummaries(rows: readonly EditionStatusCountRow[]): EditionDeliverySummary[] {
  const byEdition = new Map<string, EditionDeliverySummary>();
  for (const row of rows) {
    let summary = byEdition.get(row.edition_id);
    if (!summary) {
      summary = { editionId: row.edition_id, counts: emptyCounts(), ambiguous: 0, lastActivityAt: null };
      byEdition.set(row.edition_id, summary);
    }
    summary.counts[row.status] = row.n;
    summary.counts.total += row.n;
    if (row.status === 'sending') summary.ambiguous = row.n;
    if (row.last_at && (!summary.lastActivityAt || row.last_at > summary.lastActivityAt))
      summary.lastActivityAt = row.last_at;
  }
  return [...byEdition.values()].sort(
    (a, b) => (b.lastActivityAt ?? '').localeCompare(a.lastActivityAt ?? '') || b.editionId.localeCompare(a.editionId),
  );
}

/** One row per (decision, decider) of an edition's resolved rows. */
export interface ResolutionCountRow {
  resolution: 'accepted' | 'not-accepted';
  resolved_by: string;
  n: number;
}

export function toResolutionSummary(rows: readonly ResolutionCountRow[]): ResolutionSummary | null {
  if (!rows.length) return null;
  const summary: ResolutionSummary = { accepted: 0, notAccepted: 0, by: [] };
  for (const row of rows) {
    if (row.resolution === 'accepted') summary.accepted += Number(row.n);
    else summary.notAccepted += Number(row.n);
    if (!summary.by.includes(row.resolved_by)) summary.by.push(row.resolved_by);
  }
  summary.by.sort();
  return summary;
}

/** Which of the asked rows may be resolved: refusals for the others (all or nothing is the caller's rule). */
export function refusalsOf(
  asked: readonly SubscriberId[],
  rows: readonly { subscriber_id: number; email: string | null; status: DeliveryStatus; in_flight: boolean | number }[],
): ResolveRefusal[] {
  const byId = new Map(rows.map((row) => [Number(row.subscriber_id), row]));
  const refused: ResolveRefusal[] = [];
  for (const id of asked) {
    const row = byId.get(id);
    if (!row) refused.push({ subscriberId: id, email: null, status: null, why: 'no-row' });
    else if (row.status !== 'sending')
      refused.push({ subscriberId: id, email: row.email, status: row.status, why: 'not-ambiguous' });
    else if (row.in_flight) refused.push({ subscriberId: id, email: row.email, status: row.status, why: 'in-flight' });
  }
  return refused;
}
