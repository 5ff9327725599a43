import type {
  AcceptedRecord,
  AmbiguousRecord,
  ClaimResult,
  DeliveryCounts,
  DeliveryError,
  DeliveryRow,
  DeliveryStatus,
  EditionDeliverySummary,
  FailedRecord,
  Ledger,
  ResolutionSummary,
  ResolveRequest,
  ResolveResult,
  SubscriberId,
} from '../../delivery/ledger.ts';
import {
  SELECT_LEDGER_ROWS,
  refusalsOf,
  toDeliveryCounts,
  toDeliveryError,
  toDeliveryRow,
  toEditionSummaries,
  toResolutionSummary,
  withNumericSubscriberId,
  type EditionStatusCountRow,
  type ResolutionCountRow,
  type LedgerRow,
  type StatusCountRow,
} from '../rows/ledger-rows.ts';
import { LedgerWrites, noLongerWanted } from './pg-delivery-batches.ts';
import type { PgDatabase } from './pg-database.ts';

/** Why a pending row may no longer be sent (NULL: it may): $1 is the edition id, $2 the subscriber id. */
export const NO_LONGER_WANTED = noLongerWanted('$1::text', '$2');

/** A `sending` row a live worker has in flight (`now`: the parameter holding the time): its message is in transit, not ambiguous. */
const liveWorkerRow = (now: string) =>
  `EXISTS (SELECT 1 FROM delivery_workers w WHERE w.worker_id = d.lease_owner AND w.expires_at > ${now})`;

/**
 * The ledger in PostgreSQL. As in SQLite, every state change is one conditional UPDATE
 * (`WHERE status = …`): under READ COMMITTED a second updater of the same row waits for
 * the first and re-checks the condition, so only one caller ever wins a row. Rows leased
 * to a worker (pg-work-queue.ts) are left to that worker until its lease runs out.
 * Claims and acceptances asked for while the previous statement is on its way travel in
 * one statement, in the order asked (pg-delivery-batches.ts): one round trip and one commit
 * for many rows. A work queue given the same `writes` (open-postgres-store.ts) orders its
 * in-flight marks with these acceptances too.
 */
export class PgLedger implements Ledger {
  readonly commitsInOrder = true;

  constructor(
    private readonly db: PgDatabase,
    readonly writes: LedgerWrites = new LedgerWrites(db),
  ) {}

  async ensurePending(editionId: string, subscriberIds: readonly SubscriberId[]): Promise<void> {
    if (subscriberIds.length === 0) return;
    await this.db.query(
      `INSERT INTO deliveries (edition_id, subscriber_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
      [editionId, subscriberIds],
    );
  }

  claim(editionId: string, subscriberId: SubscriberId, at: Date): Promise<ClaimResult> {
    return this.writes.claim({ editionId, subscriberId, at, workerId: null });
  }

  async recordAccepted(editionId: string, subscriberId: SubscriberId, at: Date, record: AcceptedRecord): Promise<void> {
    // Atomic per row: only a row this caller had claimed counts, and no articles are remembered for a lost race.
    await this.writes.accepted({ editionId, subscriberId, at, record });
  }

  async recordFailed(editionId: string, subscriberId: SubscriberId, at: Date, record: FailedRecord): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'failed', finished_at = $1, error_code = $2, response = $3, retryable = $4,
         attempts = GREATEST(attempts, $5)
       WHERE edition_id = $6 AND subscriber_id = $7 AND status = 'sending'`,
      [at.toISOString(), record.code, record.text, record.retryable ? 1 : 0, record.attempts, editionId, subscriberId],
    );
  }

  async recordAmbiguous(
    editionId: string,
    subscriberId: SubscriberId,
    at: Date,
    record: AmbiguousRecord,
  ): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET finished_at = $1, error_code = $2, response = $3, attempts = GREATEST(attempts, $4)
       WHERE edition_id = $5 AND subscriber_id = $6 AND status = 'sending'`,
      [at.toISOString(), record.code, record.text, record.attempts, editionId, subscriberId],
    );
  }

  async recordSkipped(editionId: string, subscriberId: SubscriberId, at: Date, reason: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE deliveries SET status = 'skipped', finished_at = $1, reason = $2, lease_owner = NULL, lease_until = NULL
       WHERE edition_id = $3 AND subscriber_id = $4 AND status = 'pending'`,
      [at.toISOString(), reason, editionId, subscriberId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async releaseForRetry(editionId: string, subscriberId: SubscriberId): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'pending', claimed_at = NULL WHERE edition_id = $1 AND subscriber_id = $2 AND status = 'sending'`,
      [editionId, subscriberId],
    );
  }

  async releaseRetryableFailures(editionId: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE deliveries SET status = 'pending', claimed_at = NULL WHERE edition_id = $1 AND status = 'failed' AND retryable = 1`,
      [editionId],
    );
    return result.rowCount ?? 0;
  }

  async counts(editionId: string): Promise<DeliveryCounts> {
    const { rows } = await this.db.query<StatusCountRow>(
      'SELECT status, COUNT(*)::int AS n FROM deliveries WHERE edition_id = $1 GROUP BY status',
      [editionId],
    );
    return toDeliveryCounts(rows);
  }

  async listAmbiguous(editionId: string, at?: Date): Promise<DeliveryRow[]> {
    if (!at) return this.list(editionId, 'sending');
    const { rows } = await this.db.query<LedgerRow<string>>(
      `${SELECT_LEDGER_ROWS} WHERE d.edition_id = $1 AND d.status = 'sending'
         AND NOT EXISTS (SELECT 1 FROM delivery_workers w WHERE w.worker_id = d.lease_owner AND w.expires_at > $2)
       ORDER BY d.subscriber_id`,
      [editionId, at.toISOString()],
    );
    return rows.map((row) => toDeliveryRow(withNumericSubscriberId(row)));
  }

  async resetAmbiguous(editionId: string, at: Date): Promise<number> {
    // lease_owner stays on a row a worker marked in flight (pg-work-queue.ts): while that
    // worker is alive the row is its message in transit, not an ambiguous one.
    const result = await this.db.query(
      `UPDATE deliveries SET status = 'pending', claimed_at = NULL, finished_at = NULL, error_code = NULL, response = NULL,
         lease_owner = NULL, lease_until = NULL
       WHERE edition_id = $1 AND status = 'sending'
         AND NOT EXISTS (SELECT 1 FROM delivery_workers w WHERE w.worker_id = deliveries.lease_owner AND w.expires_at > $2)`,
      [editionId, at.toISOString()],
    );
    return result.rowCount ?? 0;
  }

  async resolveAmbiguous(editionId: string, request: ResolveRequest): Promise<ResolveResult> {
    const at = request.at.toISOString();
    return this.db.transaction(async (tx) => {
      let ids: number[];
      if (request.subscriberIds === 'all-ambiguous') {
        const { rows } = await tx.query<{ subscriber_id: string }>(
          `SELECT d.subscriber_id FROM deliveries d WHERE d.edition_id = $1 AND d.status = 'sending' AND NOT ${liveWorkerRow('$2')}
            ORDER BY d.subscriber_id FOR UPDATE OF d`,
          [editionId, at],
        );
        ids = rows.map((row) => Number(row.subscriber_id));
      } else {
        ids = [...new Set(request.subscriberIds)];
      }
      // Locked, so a worker cannot take a row between this check and the update.
      const { rows: current } = await tx.query<{
        subscriber_id: string;
        email: string | null;
        status: DeliveryStatus;
        in_flight: boolean;
      }>(
        `SELECT d.subscriber_id, s.email, d.status, ${liveWorkerRow('$3')} AS in_flight
           FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
          WHERE d.edition_id = $1 AND d.subscriber_id = ANY($2::bigint[]) FOR UPDATE OF d`,
        [editionId, ids, at],
      );
      const refused = refusalsOf(
        ids,
        current.map((row) => ({ ...row, subscriber_id: Number(row.subscriber_id) })),
      );
      if (refused.length || !ids.length) return { resolved: [], refused };
      await tx.query(
        request.decision === 'accepted'
          ? `UPDATE deliveries SET status = 'accepted', finished_at = $3, retryable = 0, resolution = 'accepted', resolved_by = $4, resolved_at = $3
              WHERE edition_id = $1 AND status = 'sending' AND subscriber_id = ANY($2::bigint[])`
          : `UPDATE deliveries SET status = 'pending', claimed_at = NULL, finished_at = NULL, error_code = NULL, response = NULL,
               lease_owner = NULL, lease_until = NULL, resolution = 'not-accepted', resolved_by = $4, resolved_at = $3
              WHERE edition_id = $1 AND status = 'sending' AND subscriber_id = ANY($2::bigint[])`,
        [editionId, ids, at, request.by],
      );
      const received =
        request.decision === 'accepted'
          ? ids.flatMap((id) => (request.articleIds?.get(id) ?? []).map((articleId) => [id, articleId] as const))
          : [];
      if (received.length) {
        await tx.query(
          `INSERT INTO received_articles (subscriber_id, article_id, edition_id)
             SELECT reader, article, $3 FROM unnest($1::bigint[], $2::text[]) AS got (reader, article)
           ON CONFLICT DO NOTHING`,
          [received.map(([id]) => id), received.map(([, articleId]) => articleId), editionId],
        );
      }
      const { rows } = await tx.query<LedgerRow<string>>(
        `${SELECT_LEDGER_ROWS} WHERE d.edition_id = $1 AND d.subscriber_id = ANY($2::bigint[]) ORDER BY d.subscriber_id`,
        [editionId, ids],
      );
      return { resolved: rows.map((row) => toDeliveryRow(withNumericSubscriberId(row))), refused: [] };
    });
  }

  async resolutions(editionId: string): Promise<ResolutionSummary | null> {
    const { rows } = await this.db.query<ResolutionCountRow>(
      `SELECT resolution, resolved_by, COUNT(*)::int AS n FROM deliveries WHERE edition_id = $1 AND resolution IS NOT NULL
        GROUP BY resolution, resolved_by`,
      [editionId],
    );
    return toResolutionSummary(rows);
  }

  async unresolvedAmbiguous(at: Date, newsletterId?: string): Promise<{ editionId: string; rows: number }[]> {
    // Rows of an edition a live send holds are in flight too.
    const { rows } = await this.db.query<{ edition_id: string; n: number }>(
      `SELECT d.edition_id, COUNT(*)::int AS n FROM deliveries d
        WHERE d.status = 'sending' AND ($1::text IS NULL OR starts_with(d.edition_id, $1::text || '/'))
          AND NOT EXISTS (SELECT 1 FROM send_leases l WHERE l.edition_id = d.edition_id AND l.expires_at > $2)
          AND NOT ${liveWorkerRow('$2')}
        GROUP BY d.edition_id ORDER BY d.edition_id`,
      [newsletterId ?? null, at.toISOString()],
    );
    return rows.map((row) => ({ editionId: row.edition_id, rows: row.n }));
  }

  async list(editionId: string, status?: DeliveryStatus): Promise<DeliveryRow[]> {
    const { rows } = status
      ? await this.db.query<LedgerRow<string>>(
          `${SELECT_LEDGER_ROWS} WHERE d.edition_id = $1 AND d.status = $2 ORDER BY d.subscriber_id`,
          [editionId, status],
        )
      : await this.db.query<LedgerRow<string>>(
          `${SELECT_LEDGER_ROWS} WHERE d.edition_id = $1 ORDER BY d.subscriber_id`,
          [editionId],
        );
    return rows.map((row) => toDeliveryRow(withNumericSubscriberId(row)));
  }

  async lastErrors(editionId: string, limit: number): Promise<DeliveryError[]> {
    const { rows } = await this.db.query<LedgerRow<string>>(
      `${SELECT_LEDGER_ROWS} WHERE d.edition_id = $1 AND d.status = 'failed' ORDER BY d.finished_at DESC, d.subscriber_id DESC LIMIT $2`,
      [editionId, limit],
    );
    return rows.map((row) => toDeliveryError(withNumericSubscriberId(row)));
  }

  async editions(newsletterId?: string): Promise<EditionDeliverySummary[]> {
    const { rows } = await this.db.query<EditionStatusCountRow>(
      `SELECT edition_id, status, COUNT(*)::int AS n, MAX(COALESCE(finished_at, claimed_at)) AS last_at
         FROM deliveries WHERE ($1::text IS NULL OR starts_with(edition_id, $1::text || '/'))
        GROUP BY edition_id, status`,
      [newsletterId ?? null],
    );
    return toEditionSummaries(rows);
  }

  async receivedArticleIds(
    subscriberId: SubscriberId,
    articleIds: readonly string[],
    exceptEditionId = '',
  ): Promise<Set<string>> {
    if (articleIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ article_id: string }>(
      'SELECT article_id FROM received_articles WHERE subscriber_id = $1 AND edition_id <> $2 AND article_id = ANY($3::text[])',
      [subscriberId, exceptEditionId, articleIds],
    );
    return new Set(rows.map((row) => row.article_id));
  }

  async receivedArticleIdsOfMany(
    subscriberIds: readonly SubscriberId[],
    articleIds: readonly string[],
    exceptEditionId = '',
  ): Promise<Map<SubscriberId, Set<string>>> {
    const found = new Map<SubscriberId, Set<string>>(subscriberIds.map((id) => [id, new Set<string>()]));
    if (articleIds.length === 0 || subscriberIds.length === 0) return found;
    const { rows } = await this.db.query<{ subscriber_id: number; article_id: string }>(
      'SELECT subscriber_id, article_id FROM received_articles WHERE subscriber_id = ANY($1::int[]) AND edition_id <> $2 AND article_id = ANY($3::text[])',
      [subscriberIds, exceptEditionId, articleIds],
    );
    for (const row of rows) found.get(Number(row.subscriber_id))?.add(row.article_id);
    return found;
  }
}
