import type { SourceActivity, SourceActivityReader } from '../../ingest/watchdog/source-activity.ts';
import type { PgDatabase } from './pg-database.ts';

// Times are ISO text in both stores, so text order is time order, as in SQLite.
const SELECT = `SELECT source, first_seen_at AS "firstSeenAt", published_at AS "publishedAt", title,
  length(text)::int AS "textLength" FROM articles WHERE first_seen_at >= $1 ORDER BY first_seen_at, id`;

/** The articles table read for the source watchdog: no text, only its length. */
export class PgSourceActivity implements SourceActivityReader {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async listSourceActivity(since: Date): Promise<SourceActivity[]> {
    const { rows } = await this.#db.query<SourceActivity>(SELECT, [since.toISOString()]);
    return rows;
  }
}
