import type { SourceFetchState } from '../../ingest/source-state-store.ts';

/** The source_fetch_state table as both stores (SQLite and PostgreSQL) hold it, and its one mapping. */
export interface SourceStateRow {
  source: string;
  location: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: string | null;
  last_ok_at: string | null;
  last_failed_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  consecutive_failures: number;
  total_failures: number;
}

export function toSourceFetchState(row: SourceStateRow): SourceFetchState {
  return {
    source: row.source,
    location: row.location,
    validators: { etag: row.etag, lastModified: row.last_modified },
    lastFetchedAt: row.last_fetched_at,
    lastOkAt: row.last_ok_at,
    lastFailedAt: row.last_failed_at,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    consecutiveFailures: row.consecutive_failures,
    totalFailures: row.total_failures,
  };
}
