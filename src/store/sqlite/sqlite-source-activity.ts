import type { SourceActivity, SourceActivityReader } from '../../ingest/watchdog/source-activity.ts';
import type { SqliteDatabase } from './open-database.ts';

const SELECT = `SELECT source, first_seen_at AS firstSeenAt, published_at AS publishedAt, title, length(text) AS textLength
  FROM articles WHERE first_seen_at >= ? ORDER BY first_seen_at, id`;

/** The articles table read for the source watchdog: no text, only its length. */
export class SqliteSourceActivity implements SourceActivityReader {
  readonly #select;

  constructor(db: SqliteDatabase) {
    this.#select = db.prepare<[string], SourceActivity>(SELECT);
  }

  async listSourceActivity(since: Date): Promise<SourceActivity[]> {
    return this.#select.all(since.toISOString());
  }
}
