import type { LeaseClaim, LeaseHolder, LeaseRequest, SendLease } from '../../delivery/send-lease.ts';
import { toLeaseHolder, type SendLeaseRow } from '../rows/send-lease-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/** Send leases in SQLite: acquiring is one transaction, so two processes cannot both win. */
export class SqliteSendLease implements SendLease {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      get: db.prepare('SELECT * FROM send_leases WHERE edition_id = ?'),
      upsert: db.prepare(
        `INSERT INTO send_leases (edition_id, holder, host, pid, acquired_at, heartbeat_at, expires_at)
         VALUES (@editionId, @holder, @host, @pid, @now, @now, @expires)
         ON CONFLICT (edition_id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
           acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
      ),
      renew: db.prepare('UPDATE send_leases SET heartbeat_at = ?, expires_at = ? WHERE edition_id = ? AND holder = ?'),
      release: db.prepare('DELETE FROM send_leases WHERE edition_id = ? AND holder = ?'),
      active: db.prepare(
        `SELECT * FROM send_leases WHERE expires_at > ?
         AND (? IS NULL OR substr(edition_id, 1, length(?) + 1) = ? || '/') ORDER BY edition_id`,
      ),
    };
  }

  async acquire(
    editionId: string,
    request: LeaseRequest,
    now: Date,
    ttlMs: number,
    replaceHolder?: string,
  ): Promise<LeaseClaim> {
    const nowIso = now.toISOString();
    // IMMEDIATE: the read and the write happen under one write lock, across processes.
    return this.db
      .transaction((): LeaseClaim => {
        const row = this.statements.get.get(editionId) as SendLeaseRow | undefined;
        const free = !row || row.expires_at <= nowIso || row.holder === request.holder || row.holder === replaceHolder;
        if (!free) return { acquired: false, current: toLeaseHolder(row) };
        this.statements.upsert.run({
          editionId,
          ...request,
          now: nowIso,
          expires: new Date(now.getTime() + ttlMs).toISOString(),
        });
        return { acquired: true };
      })
      .immediate();
  }

  async renew(editionId: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    return (
      this.statements.renew.run(now.toISOString(), new Date(now.getTime() + ttlMs).toISOString(), editionId, holder)
        .changes === 1
    );
  }

  async release(editionId: string, holder: string): Promise<void> {
    this.statements.release.run(editionId, holder);
  }

  async active(now: Date, newsletterId?: string): Promise<LeaseHolder[]> {
    const key = newsletterId ?? null;
    return (this.statements.active.all(now.toISOString(), key, key, key) as SendLeaseRow[]).map(toLeaseHolder);
  }
}
