import type {
  SourceFailure,
  SourceFetchState,
  SourceStateStore,
  SourceSuccess,
} from '../../ingest/source-state-store.ts';
import { toSourceFetchState, type SourceStateRow } from '../rows/source-state-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/** Each record is one upsert, so a crash leaves either the old state or the new one. */
export class SqliteSourceStateStore implements SourceStateStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      list: db.prepare('SELECT * FROM source_fetch_state ORDER BY source'),
      get: db.prepare('SELECT * FROM source_fetch_state WHERE source = ?'),
      // keep = 1: a 304 confirmed the stored validators, leave them (unless the location changed).
      success: db.prepare(`
        INSERT INTO source_fetch_state (source, location, etag, last_modified, last_fetched_at, last_ok_at)
        VALUES (@source, @location, @etag, @lastModified, @at, @at)
        ON CONFLICT (source) DO UPDATE SET
          etag = CASE WHEN @keep = 1 AND location IS @location THEN etag ELSE excluded.etag END,
          last_modified = CASE WHEN @keep = 1 AND location IS @location THEN last_modified ELSE excluded.last_modified END,
          location = excluded.location,
          last_fetched_at = excluded.last_fetched_at,
          last_ok_at = excluded.last_ok_at,
          consecutive_failures = 0`),
      failure: db.prepare(`
        INSERT INTO source_fetch_state (source, last_fetched_at, last_failed_at, last_error, last_error_code, consecutive_failures, total_failures)
        VALUES (@source, @at, @at, @error, @errorCode, 1, 1)
        ON CONFLICT (source) DO UPDATE SET
          last_fetched_at = excluded.last_fetched_at,
          last_failed_at = excluded.last_failed_at,
          last_error = excluded.last_error,
          last_error_code = excluded.last_error_code,
          consecutive_failures = consecutive_failures + 1,
          total_failures = total_failures + 1`),
    };
  }

  async listStates(): Promise<SourceFetchState[]> {
    return (this.statements.list.all() as SourceStateRow[]).map(toSourceFetchState);
  }

  async getState(source: string): Promise<SourceFetchState | null> {
    const row = this.statements.get.get(source) as SourceStateRow | undefined;
    return row ? toSourceFetchState(row) : null;
  }

  async recordSuccess(source: string, at: Date, success: SourceSuccess): Promise<void> {
    this.statements.success.run({
      source,
      location: success.location,
      etag: success.validators?.etag ?? null,
      lastModified: success.validators?.lastModified ?? null,
      keep: success.validators ? 0 : 1,
      at: at.toISOString(),
    });
  }

  async recordFailure(source: string, at: Date, failure: SourceFailure): Promise<void> {
    this.statements.failure.run({ source, at: at.toISOString(), error: failure.error, errorCode: failure.errorCode });
  }
}
