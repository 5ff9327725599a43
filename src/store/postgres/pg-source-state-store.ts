import type { SourceFailure, SourceFetchState, SourceStateStore, SourceSuccess } from '../source-state-store.ts';
import type { PgDatabase } from './pg-database.ts';

interface Row {
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

function fromRow(row: Row): SourceFetchState {
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

/** Each record is one upsert, so a crash leaves either the old state or the new one. */
export class PgSourceStateStore implements SourceStateStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async listStates(): Promise<SourceFetchState[]> {
    const { rows } = await this.#db.query<Row>('SELECT * FROM source_fetch_state ORDER BY source');
    return rows.map(fromRow);
  }

  async getState(source: string): Promise<SourceFetchState | null> {
    const { rows } = await this.#db.query<Row>('SELECT * FROM source_fetch_state WHERE source = $1', [source]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async recordSuccess(source: string, at: Date, success: SourceSuccess): Promise<void> {
    // $5 (keep): a 304 confirmed the stored validators; leave them unless the location changed.
    await this.#db.query(
      `INSERT INTO source_fetch_state AS s (source, location, etag, last_modified, last_fetched_at, last_ok_at)
       VALUES ($1, $2, $3, $4, $6, $6)
       ON CONFLICT (source) DO UPDATE SET
         etag = CASE WHEN $5 AND s.location IS NOT DISTINCT FROM $2 THEN s.etag ELSE excluded.etag END,
         last_modified = CASE WHEN $5 AND s.location IS NOT DISTINCT FROM $2 THEN s.last_modified ELSE excluded.last_modified END,
         location = excluded.location,
         last_fetched_at = excluded.last_fetched_at,
         last_ok_at = excluded.last_ok_at,
         consecutive_failures = 0`,
      [source, success.location, success.validators?.etag ?? null, success.validators?.lastModified ?? null, !success.validators, at.toISOString()],
    );
  }

  async recordFailure(source: string, at: Date, failure: SourceFailure): Promise<void> {
    await this.#db.query(
      `INSERT INTO source_fetch_state AS s (source, last_fetched_at, last_failed_at, last_error, last_error_code, consecutive_failures, total_failures)
       VALUES ($1, $2, $2, $3, $4, 1, 1)
       ON CONFLICT (source) DO UPDATE SET
         last_fetched_at = excluded.last_fetched_at,
         last_failed_at = excluded.last_failed_at,
         last_error = excluded.last_error,
         last_error_code = excluded.last_error_code,
         consecutive_failures = s.consecutive_failures + 1,
         total_failures = s.total_failures + 1`,
      [source, at.toISOString(), failure.error, failure.errorCode],
    );
  }
}
