import type {
  SourceFailure,
  SourceFetchState,
  SourceStateStore,
  SourceSuccess,
} from '../../ingest/source-state-store.ts';
import { toSourceFetchState, type SourceStateRow } from '../rows/source-state-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** Each record is one upsert, so a crash leaves either the old state or the new one. */
export class PgSourceStateStore implements SourceStateStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async listStates(): Promise<SourceFetchState[]> {
    const { rows } = await this.#db.query<SourceStateRow>('SELECT * FROM source_fetch_state ORDER BY source');
    return rows.map(toSourceFetchState);
  }

  async getState(source: string): Promise<SourceFetchState | null> {
    const { rows } = await this.#db.query<SourceStateRow>('SELECT * FROM source_fetch_state WHERE source = $1', [
      source,
    ]);
    return rows[0] ? toSourceFetchState(rows[0]) : null;
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
      [
        source,
        success.location,
        success.validators?.etag ?? null,
        success.validators?.lastModified ?? null,
        !success.validators,
        at.toISOString(),
      ],
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
