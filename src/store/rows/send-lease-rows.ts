import type { LeaseHolder } from '../../delivery/send-lease.ts';

/** The send_leases table as both stores (SQLite and PostgreSQL) hold it, and its one mapping. */
export interface SendLeaseRow {
  edition_id: string;
  holder: string;
  host: string;
  pid: number;
  acquired_at: string;
  heartbeat_at: string;
  expires_at: string;
}

export const toLeaseHolder = (row: SendLeaseRow): LeaseHolder => ({
  editionId: row.edition_id,
  holder: row.holder,
  host: row.host,
  pid: row.pid,
  acquiredAt: row.acquired_at,
  heartbeatAt: row.heartbeat_at,
  expiresAt: row.expires_at,
});
