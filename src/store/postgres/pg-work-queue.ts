import type { ClaimResult, SubscriberId } from '../../delivery/ledger.ts';
import type { WorkerInfo, WorkQueue } from '../../delivery/work-queue.ts';
import type { PgDatabase } from './pg-database.ts';
import { LedgerWrites } from './pg-delivery-batches.ts';

/**
 * The work queue in PostgreSQL. `claimBatch` picks rows with FOR UPDATE SKIP LOCKED, so
 * workers claiming at once take disjoint batches without waiting on each other; every
 * other change is a conditional UPDATE, as in the ledger.
 */
export class PgWorkQueue implements WorkQueue {
  /**
   * In-flight marks of concurrent sends share one statement (pg-delivery-batches.ts); given
   * the ledger's `writes`, also with its acceptances, in the order asked.
   */
  constructor(
    private readonly db: PgDatabase,
    readonly writes: LedgerWrites = new LedgerWrites(db),
  ) {}

  async heartbeat(worker: WorkerInfo, at: Date, ttlMs: number): Promise<number> {
    const now = at.toISOString();
    await this.db.query(
      `INSERT INTO delivery_workers (worker_id, host, pid, started_at, heartbeat_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)
       ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
      [worker.workerId, worker.host, worker.pid, now, new Date(at.getTime() + ttlMs).toISOString()],
    );
    // Dead workers are forgotten here, by whoever is alive: no separate janitor.
    await this.db.query('DELETE FROM delivery_workers WHERE expires_at <= $1', [now]);
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT COUNT(*)::int AS n FROM delivery_workers WHERE expires_at > $1',
      [now],
    );
    return Math.max(1, rows[0]!.n);
  }

  async leave(workerId: string): Promise<void> {
    await this.releaseLeases(workerId);
    await this.db.query('DELETE FROM delivery_workers WHERE worker_id = $1', [workerId]);
  }

  async workers(): Promise<WorkerInfo[]> {
    const { rows } = await this.db.query<{ worker_id: string; host: string; pid: number }>(
      'SELECT worker_id, host, pid FROM delivery_workers ORDER BY worker_id',
    );
    return rows.map((r) => ({ workerId: r.worker_id, host: r.host, pid: r.pid }));
  }

  async queuedEditions(newsletterId?: string): Promise<string[]> {
    const { rows } = await this.db.query<{ edition_id: string }>(
      `SELECT edition_id FROM deliveries
        WHERE status = 'pending' AND ($1::text IS NULL OR starts_with(edition_id, $1::text || '/'))
        GROUP BY edition_id ORDER BY edition_id COLLATE "C"`,
      [newsletterId ?? null],
    );
    return rows.map((row) => row.edition_id);
  }

  async claimBatch(
    editionId: string,
    workerId: string,
    limit: number,
    leaseMs: number,
    at: Date,
  ): Promise<SubscriberId[]> {
    const { rows } = await this.db.query<{ subscriber_id: string }>(
      `UPDATE deliveries d SET lease_owner = $3, lease_until = $5
         FROM (SELECT edition_id, subscriber_id FROM deliveries
                WHERE edition_id = $1 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $4)
                ORDER BY subscriber_id LIMIT $2 FOR UPDATE SKIP LOCKED) picked
        WHERE d.edition_id = picked.edition_id AND d.subscriber_id = picked.subscriber_id
        RETURNING d.subscriber_id`,
      [editionId, limit, workerId, at.toISOString(), new Date(at.getTime() + leaseMs).toISOString()],
    );
    return rows.map((row) => Number(row.subscriber_id)).sort((a, b) => a - b);
  }

  claimLeased(editionId: string, subscriberId: SubscriberId, workerId: string, at: Date): Promise<ClaimResult> {
    // lease_owner stays: an ambiguous row names the worker that had it in flight. A row
    // leased to us stays ours after its lease ran out, until someone else takes it.
    return this.writes.claim({ editionId, subscriberId, at, workerId });
  }

  async inFlight(
    editionId: string,
    at: Date,
  ): Promise<{ workerId: string; host: string; pid: number; rows: number }[]> {
    const { rows } = await this.db.query<{ worker_id: string; host: string; pid: number; rows: number }>(
      `SELECT w.worker_id, w.host, w.pid, COUNT(*)::int AS rows
         FROM deliveries d JOIN delivery_workers w ON w.worker_id = d.lease_owner
        WHERE d.edition_id = $1 AND d.status = 'sending' AND w.expires_at > $2
        GROUP BY w.worker_id, w.host, w.pid ORDER BY w.worker_id`,
      [editionId, at.toISOString()],
    );
    return rows.map((r) => ({ workerId: r.worker_id, host: r.host, pid: r.pid, rows: r.rows }));
  }

  async renewLeases(workerId: string, at: Date, leaseMs: number): Promise<number> {
    const result = await this.db.query(
      `UPDATE deliveries SET lease_until = $2 WHERE lease_owner = $1 AND status = 'pending' AND lease_until IS NOT NULL`,
      [workerId, new Date(at.getTime() + leaseMs).toISOString()],
    );
    return result.rowCount ?? 0;
  }

  async releaseLeases(workerId: string, editionId?: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE deliveries SET lease_owner = NULL, lease_until = NULL
        WHERE lease_owner = $1 AND status = 'pending' AND ($2::text IS NULL OR edition_id = $2::text)`,
      [workerId, editionId ?? null],
    );
    return result.rowCount ?? 0;
  }

  async loadSegment(editionId: string, segmentKey: string): Promise<string | null> {
    const { rows } = await this.db.query<{ rendered: string }>(
      `SELECT rendered FROM edition_segments WHERE edition_id = $1 AND segment = $2 AND rendered <> ''`,
      [editionId, segmentKey],
    );
    return rows[0]?.rendered ?? null;
  }

  async reserveSegment(
    editionId: string,
    segmentKey: string,
    workerId: string,
    at: Date,
    staleMs: number,
  ): Promise<{ rendered: string } | 'render' | 'wait'> {
    // A reservation is the row with an empty rendering: its owner and when it started.
    const reserved = await this.db.query(
      `INSERT INTO edition_segments (edition_id, segment, rendered, rendered_by, rendered_at) VALUES ($1, $2, '', $3, $4)
       ON CONFLICT (edition_id, segment) DO UPDATE SET rendered_by = excluded.rendered_by, rendered_at = excluded.rendered_at
         WHERE edition_segments.rendered = '' AND edition_segments.rendered_at <= $5
       RETURNING 1`,
      [editionId, segmentKey, workerId, at.toISOString(), new Date(at.getTime() - staleMs).toISOString()],
    );
    if (reserved.rowCount === 1) return 'render';
    const stored = await this.loadSegment(editionId, segmentKey);
    return stored === null ? 'wait' : { rendered: stored };
  }

  async abandonSegment(editionId: string, segmentKey: string, workerId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM edition_segments WHERE edition_id = $1 AND segment = $2 AND rendered = '' AND rendered_by = $3`,
      [editionId, segmentKey, workerId],
    );
  }

  async saveSegment(
    editionId: string,
    segmentKey: string,
    rendered: string,
    workerId: string,
    at: Date,
  ): Promise<string> {
    await this.db.query(
      `INSERT INTO edition_segments (edition_id, segment, rendered, rendered_by, rendered_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (edition_id, segment) DO UPDATE SET rendered = excluded.rendered, rendered_by = excluded.rendered_by, rendered_at = excluded.rendered_at
         WHERE edition_segments.rendered = ''`,
      [editionId, segmentKey, rendered, workerId, at.toISOString()],
    );
    // Whoever stored first wins: every worker sends the same bytes for a segment.
    return (await this.loadSegment(editionId, segmentKey)) ?? rendered;
  }
}
