import type { LeaseClaim, LeaseHolder, LeaseRequest, SendLease } from '../../delivery/send-lease.ts';
import { toLeaseHolder, type SendLeaseRow } from '../rows/send-lease-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Send leases in PostgreSQL: acquiring is one INSERT … ON CONFLICT DO UPDATE … WHERE,
 * which locks the existing row, so of two processes racing for an edition one wins.
 */
export class PgSendLease implements SendLease {
  constructor(private readonly db: PgDatabase) {}

  async acquire(
    editionId: string,
    request: LeaseRequest,
    now: Date,
    ttlMs: number,
    replaceHolder?: string,
  ): Promise<LeaseClaim> {
    const nowIso = now.toISOString();
    const taken = await this.db.query(
      `INSERT INTO send_leases (edition_id, holder, host, pid, acquired_at, heartbeat_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6)
       ON CONFLICT (edition_id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
         acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
       WHERE send_leases.expires_at <= $5 OR send_leases.holder = $2 OR send_leases.holder = $7`,
      [
        editionId,
        request.holder,
        request.host,
        request.pid,
        nowIso,
        new Date(now.getTime() + ttlMs).toISOString(),
        replaceHolder ?? null,
      ],
    );
    if (taken.rowCount === 1) return { acquired: true };
    const { rows } = await this.db.query<SendLeaseRow>('SELECT * FROM send_leases WHERE edition_id = $1', [editionId]);
    // Released between the two statements: try once more rather than report a holder that is gone.
    if (!rows[0]) return this.acquire(editionId, request, now, ttlMs, replaceHolder);
    return { acquired: false, current: toLeaseHolder(rows[0]) };
  }

  async renew(editionId: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE send_leases SET heartbeat_at = $1, expires_at = $2 WHERE edition_id = $3 AND holder = $4',
      [now.toISOString(), new Date(now.getTime() + ttlMs).toISOString(), editionId, holder],
    );
    return result.rowCount === 1;
  }

  async release(editionId: string, holder: string): Promise<void> {
    await this.db.query('DELETE FROM send_leases WHERE edition_id = $1 AND holder = $2', [editionId, holder]);
  }

  async active(now: Date, newsletterId?: string): Promise<LeaseHolder[]> {
    const { rows } = await this.db.query<SendLeaseRow>(
      `SELECT * FROM send_leases WHERE expires_at > $1 AND ($2::text IS NULL OR starts_with(edition_id, $2::text || '/'))
        ORDER BY edition_id COLLATE "C"`,
      [now.toISOString(), newsletterId ?? null],
    );
    return rows.map(toLeaseHolder);
  }
}
