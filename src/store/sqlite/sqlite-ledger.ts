import type {
  AcceptedRecord,
  ClaimResult,
  AmbiguousRecord,
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
  type EditionStatusCountRow,
  type ResolutionCountRow,
  type LedgerRow,
  type StatusCountRow,
} from '../rows/ledger-rows.ts';
import { GroupCommit } from './group-commit.ts';
import type { SqliteDatabase } from './open-database.ts';

/**
 * Why a pending row may no longer be sent (NULL: it may): the subscription ended, the
 * subscriber is no longer active (erased, bounced, paused), or the address is suppressed,
 * after the audience was read. Rows without a stored subscriber (ledger-only tests) pass.
 * The newsletter is the edition id's part before the slash. The address is hashed (a
 * JavaScript function, ~2% of a send's CPU) only when some address is suppressed at all.
 */
const NO_LONGER_WANTED = `(
  SELECT CASE
    WHEN sub.status IS NOT NULL AND sub.status <> 'active' THEN 'subscription ' || sub.status || ' before delivery'
    WHEN s.status <> 'active' THEN 'subscriber ' || s.status || ' before delivery'
    WHEN EXISTS (SELECT 1 FROM suppressions) AND EXISTS (SELECT 1 FROM suppressions x WHERE x.address_hash = tidings_address_hash(s.email))
      THEN 'address suppressed before delivery'
  END
  FROM subscribers s
  LEFT JOIN subscriptions sub ON sub.subscriber_id = s.id
    AND sub.newsletter_id = substr(@edition, 1, instr(@edition, '/') - 1)
  WHERE s.id = @subscriber)`;

/**
 * The ledger in the embedded SQLite store. Every state change is one conditional
 * UPDATE (`WHERE status = …`), so a second worker, or a second process on the same
 * file, can never win the same row twice. Claims and outcomes asked for in the same
 * turn of the event loop share one transaction (group commit): each call still
 * resolves only once its own write is committed.
 */
export class SqliteLedger implements Ledger {
  readonly commitsInOrder = true;
  private readonly statements;
  /** Claims and outcomes of concurrent workers, committed together (group-commit.ts). */
  private readonly group: GroupCommit;
  /** receivedArticleIds' statement per number of article ids (an edition has few sizes). */
  private readonly receivedQueries = new Map<number, { all(...params: unknown[]): unknown[] }>();
  private readonly receivedInserts = new Map<number, { run(...params: unknown[]): unknown }>();
  /** receivedArticleIdsOfMany's statement per page shape ("subscribers:articles"): a send has one or two. */
  private readonly receivedManyQueries = new Map<string, { all(...params: unknown[]): unknown[] }>();

  private insertReceived(count: number): { run(...params: unknown[]): unknown } {
    let insert = this.receivedInserts.get(count);
    if (!insert) {
      const rows = Array.from({ length: count }, () => '(?, ?, ?)').join(', ');
      insert = this.db.prepare(
        `INSERT OR IGNORE INTO received_articles (subscriber_id, article_id, edition_id) VALUES ${rows}`,
      );
      this.receivedInserts.set(count, insert);
    }
    return insert;
  }

  constructor(private readonly db: SqliteDatabase) {
    this.group = new GroupCommit(db);
    this.statements = {
      insertPending: db.prepare('INSERT OR IGNORE INTO deliveries (edition_id, subscriber_id) VALUES (?, ?)'),
      claim: db.prepare(
        `UPDATE deliveries SET status = 'sending', claimed_at = @at, attempts = attempts + 1
         WHERE edition_id = @edition AND subscriber_id = @subscriber AND status = 'pending' AND ${NO_LONGER_WANTED} IS NULL`,
      ),
      // The same row when the reader left after the audience was read: skipped, with the reason.
      skipUnwanted: db.prepare<[Record<string, unknown>], { reason: string }>(
        `UPDATE deliveries SET status = 'skipped', finished_at = @at, reason = ${NO_LONGER_WANTED}
         WHERE edition_id = @edition AND subscriber_id = @subscriber AND status = 'pending' AND ${NO_LONGER_WANTED} IS NOT NULL
         RETURNING reason`,
      ),
      accepted: db.prepare(
        `UPDATE deliveries SET status = 'accepted', finished_at = ?, message_id = ?, response = ?, segment = ?,
           error_code = NULL, retryable = 0
         WHERE edition_id = ? AND subscriber_id = ? AND status = 'sending'`,
      ),
      received: db.prepare(
        'INSERT OR IGNORE INTO received_articles (subscriber_id, article_id, edition_id) VALUES (?, ?, ?)',
      ),
      failed: db.prepare(
        `UPDATE deliveries SET status = 'failed', finished_at = ?, error_code = ?, response = ?, retryable = ?,
           attempts = MAX(attempts, ?)
         WHERE edition_id = ? AND subscriber_id = ? AND status = 'sending'`,
      ),
      ambiguous: db.prepare(
        `UPDATE deliveries SET finished_at = ?, error_code = ?, response = ?, attempts = MAX(attempts, ?)
         WHERE edition_id = ? AND subscriber_id = ? AND status = 'sending'`,
      ),
      skipped: db.prepare(
        `UPDATE deliveries SET status = 'skipped', finished_at = ?, reason = ?
         WHERE edition_id = ? AND subscriber_id = ? AND status = 'pending'`,
      ),
      release: db.prepare(
        `UPDATE deliveries SET status = 'pending', claimed_at = NULL
         WHERE edition_id = ? AND subscriber_id = ? AND status = 'sending'`,
      ),
      releaseRetryable: db.prepare(
        `UPDATE deliveries SET status = 'pending', claimed_at = NULL
         WHERE edition_id = ? AND status = 'failed' AND retryable = 1`,
      ),
      resetAmbiguous: db.prepare(
        `UPDATE deliveries SET status = 'pending', claimed_at = NULL, finished_at = NULL, error_code = NULL, response = NULL
         WHERE edition_id = ? AND status = 'sending'`,
      ),
      // The rows an operator names, as they are now (SQLite has no workers: nothing is in flight elsewhere).
      resolvable: db.prepare(
        `SELECT d.subscriber_id, s.email, d.status, 0 AS in_flight FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
         WHERE d.edition_id = ? AND d.subscriber_id IN (SELECT value FROM json_each(?))`,
      ),
      ambiguousIds: db.prepare<[string], { subscriber_id: number }>(
        `SELECT subscriber_id FROM deliveries WHERE edition_id = ? AND status = 'sending' ORDER BY subscriber_id`,
      ),
      resolveAccepted: db.prepare(
        `UPDATE deliveries SET status = 'accepted', finished_at = @at, retryable = 0, resolution = 'accepted', resolved_by = @by, resolved_at = @at
         WHERE edition_id = @edition AND status = 'sending' AND subscriber_id IN (SELECT value FROM json_each(@ids))`,
      ),
      resolveNotAccepted: db.prepare(
        `UPDATE deliveries SET status = 'pending', claimed_at = NULL, finished_at = NULL, error_code = NULL, response = NULL,
           resolution = 'not-accepted', resolved_by = @by, resolved_at = @at
         WHERE edition_id = @edition AND status = 'sending' AND subscriber_id IN (SELECT value FROM json_each(@ids))`,
      ),
      listIds: db.prepare(
        `${SELECT_LEDGER_ROWS} WHERE d.edition_id = ? AND d.subscriber_id IN (SELECT value FROM json_each(?)) ORDER BY d.subscriber_id`,
      ),
      resolutions: db.prepare(
        `SELECT resolution, resolved_by, COUNT(*) AS n FROM deliveries WHERE edition_id = ? AND resolution IS NOT NULL GROUP BY resolution, resolved_by`,
      ),
      // Rows of an edition that a live send holds are in flight, not ambiguous.
      unresolved: db.prepare<[string | null, string | null, string | null, string], { edition_id: string; n: number }>(
        `SELECT d.edition_id, COUNT(*) AS n FROM deliveries d
         WHERE d.status = 'sending' AND (? IS NULL OR substr(d.edition_id, 1, length(?) + 1) = ? || '/')
           AND NOT EXISTS (SELECT 1 FROM send_leases l WHERE l.edition_id = d.edition_id AND l.expires_at > ?)
         GROUP BY d.edition_id ORDER BY d.edition_id`,
      ),
      counts: db.prepare('SELECT status, COUNT(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status'),
      list: db.prepare(`${SELECT_LEDGER_ROWS} WHERE d.edition_id = ? ORDER BY d.subscriber_id`),
      listByStatus: db.prepare(
        `${SELECT_LEDGER_ROWS} WHERE d.edition_id = ? AND d.status = ? ORDER BY d.subscriber_id`,
      ),
      lastErrors: db.prepare(
        `${SELECT_LEDGER_ROWS} WHERE d.edition_id = ? AND d.status = 'failed'
         ORDER BY d.finished_at DESC, d.subscriber_id DESC LIMIT ?`,
      ),
      editions: db.prepare(
        `SELECT edition_id, status, COUNT(*) AS n, MAX(COALESCE(finished_at, claimed_at)) AS last_at
         FROM deliveries WHERE (? IS NULL OR substr(edition_id, 1, length(?) + 1) = ? || '/')
         GROUP BY edition_id, status`,
      ),
    };
  }

  async ensurePending(editionId: string, subscriberIds: readonly SubscriberId[]): Promise<void> {
    const insert = this.statements.insertPending;
    this.db
      .transaction(() => {
        for (const id of subscriberIds) insert.run(editionId, id);
      })
      .immediate();
  }

  async claim(editionId: string, subscriberId: SubscriberId, at: Date): Promise<ClaimResult> {
    const params = { at: at.toISOString(), edition: editionId, subscriber: subscriberId };
    return this.group.run((): ClaimResult => {
      if (this.statements.claim.run(params).changes === 1) return { claimed: true };
      const skipped = this.statements.skipUnwanted.get(params);
      return { claimed: false, skipped: skipped?.reason ?? null };
    });
  }

  async recordAccepted(editionId: string, subscriberId: SubscriberId, at: Date, record: AcceptedRecord): Promise<void> {
    const { accepted, received } = this.statements;
    await this.group.run(() => {
      const changed = accepted.run(
        at.toISOString(),
        record.messageId,
        record.response,
        record.segment,
        editionId,
        subscriberId,
      ).changes;
      // Only a row this caller had claimed counts: no articles are remembered for a lost race.
      if (changed !== 1 || !record.articleIds.length) return;
      // One multi-row INSERT per message (statement cached per article count) rather than one per article.
      if (record.articleIds.length > 300)
        for (const articleId of record.articleIds) received.run(subscriberId, articleId, editionId);
      else
        this.insertReceived(record.articleIds.length).run(
          ...record.articleIds.flatMap((articleId) => [subscriberId, articleId, editionId]),
        );
    });
  }

  async recordFailed(editionId: string, subscriberId: SubscriberId, at: Date, record: FailedRecord): Promise<void> {
    const params = [
      at.toISOString(),
      record.code,
      record.text,
      record.retryable ? 1 : 0,
      record.attempts,
      editionId,
      subscriberId,
    ] as const;
    await this.group.run(() => this.statements.failed.run(...params));
  }

  async recordAmbiguous(
    editionId: string,
    subscriberId: SubscriberId,
    at: Date,
    record: AmbiguousRecord,
  ): Promise<void> {
    this.statements.ambiguous.run(at.toISOString(), record.code, record.text, record.attempts, editionId, subscriberId);
  }

  async recordSkipped(editionId: string, subscriberId: SubscriberId, at: Date, reason: string): Promise<boolean> {
    return this.statements.skipped.run(at.toISOString(), reason, editionId, subscriberId).changes > 0;
  }

  async releaseForRetry(editionId: string, subscriberId: SubscriberId): Promise<void> {
    this.statements.release.run(editionId, subscriberId);
  }

  async releaseRetryableFailures(editionId: string): Promise<number> {
    return this.statements.releaseRetryable.run(editionId).changes;
  }

  async counts(editionId: string): Promise<DeliveryCounts> {
    return toDeliveryCounts(this.statements.counts.all(editionId) as StatusCountRow[]);
  }

  async listAmbiguous(editionId: string): Promise<DeliveryRow[]> {
    return this.list(editionId, 'sending');
  }

  /** SQLite has no workers: every `sending` row is one a finished or crashed run left. */
  async resetAmbiguous(editionId: string, _at: Date): Promise<number> {
    return this.statements.resetAmbiguous.run(editionId).changes;
  }

  async resolveAmbiguous(editionId: string, request: ResolveRequest): Promise<ResolveResult> {
    const { statements } = this;
    return this.db
      .transaction((): ResolveResult => {
        const ids =
          request.subscriberIds === 'all-ambiguous'
            ? statements.ambiguousIds.all(editionId).map((row) => row.subscriber_id)
            : [...new Set(request.subscriberIds)];
        const json = JSON.stringify(ids);
        const refused = refusalsOf(ids, statements.resolvable.all(editionId, json) as Parameters<typeof refusalsOf>[1]);
        if (refused.length || !ids.length) return { resolved: [], refused };
        const update = request.decision === 'accepted' ? statements.resolveAccepted : statements.resolveNotAccepted;
        update.run({ at: request.at.toISOString(), by: request.by, edition: editionId, ids: json });
        if (request.decision === 'accepted') {
          for (const id of ids)
            for (const articleId of request.articleIds?.get(id) ?? [])
              statements.received.run(id, articleId, editionId);
        }
        return { resolved: (statements.listIds.all(editionId, json) as LedgerRow[]).map(toDeliveryRow), refused: [] };
      })
      .immediate();
  }

  async resolutions(editionId: string): Promise<ResolutionSummary | null> {
    return toResolutionSummary(this.statements.resolutions.all(editionId) as ResolutionCountRow[]);
  }

  async unresolvedAmbiguous(at: Date, newsletterId?: string): Promise<{ editionId: string; rows: number }[]> {
    const key = newsletterId ?? null;
    return this.statements.unresolved
      .all(key, key, key, at.toISOString())
      .map((row) => ({ editionId: row.edition_id, rows: row.n }));
  }

  async list(editionId: string, status?: DeliveryStatus): Promise<DeliveryRow[]> {
    const rows = status
      ? (this.statements.listByStatus.all(editionId, status) as LedgerRow[])
      : (this.statements.list.all(editionId) as LedgerRow[]);
    return rows.map(toDeliveryRow);
  }

  async lastErrors(editionId: string, limit: number): Promise<DeliveryError[]> {
    return (this.statements.lastErrors.all(editionId, limit) as LedgerRow[]).map(toDeliveryError);
  }

  async editions(newsletterId?: string): Promise<EditionDeliverySummary[]> {
    const key = newsletterId ?? null;
    const rows = this.statements.editions.all(key, key, key) as EditionStatusCountRow[];
    return toEditionSummaries(rows);
  }

  async receivedArticleIds(
    subscriberId: SubscriberId,
    articleIds: readonly string[],
    exceptEditionId = '',
  ): Promise<Set<string>> {
    const found = new Set<string>();
    // Chunked to stay under SQLite's bound-parameter limit; one prepared statement per chunk size.
    for (let start = 0; start < articleIds.length; start += 500) {
      const chunk = articleIds.slice(start, start + 500);
      let query = this.receivedQueries.get(chunk.length);
      if (!query) {
        query = this.db.prepare(
          `SELECT article_id FROM received_articles WHERE subscriber_id = ? AND edition_id <> ? AND article_id IN (${chunk.map(() => '?').join(',')})`,
        );
        this.receivedQueries.set(chunk.length, query);
      }
      for (const row of query.all(subscriberId, exceptEditionId, ...chunk) as { article_id: string }[])
        found.add(row.article_id);
    }
    return found;
  }

  async receivedArticleIdsOfMany(
    subscriberIds: readonly SubscriberId[],
    articleIds: readonly string[],
    exceptEditionId = '',
  ): Promise<Map<SubscriberId, Set<string>>> {
    const found = new Map<SubscriberId, Set<string>>(subscriberIds.map((id) => [id, new Set<string>()]));
    // Chunks of 250 subscribers and 250 articles stay far below SQLite's bound-parameter limit.
    for (let s = 0; s < subscriberIds.length; s += 250) {
      const people = subscriberIds.slice(s, s + 250);
      for (let a = 0; a < articleIds.length; a += 250) {
        const articles = articleIds.slice(a, a + 250);
        const key = `${people.length}:${articles.length}`;
        let query = this.receivedManyQueries.get(key);
        if (!query) {
          query = this.db.prepare(
            `SELECT subscriber_id, article_id FROM received_articles
              WHERE subscriber_id IN (${people.map(() => '?').join(',')}) AND edition_id <> ? AND article_id IN (${articles.map(() => '?').join(',')})`,
          );
          this.receivedManyQueries.set(key, query);
        }
        for (const row of query.all(...people, exceptEditionId, ...articles) as {
          subscriber_id: number;
          article_id: string;
        }[]) {
          found.get(row.subscriber_id)?.add(row.article_id);
        }
      }
    }
    return found;
  }
}
