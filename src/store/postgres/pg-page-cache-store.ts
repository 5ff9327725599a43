import type { CachedPage, PageCacheStore } from '../../ingest/fulltext/page-cache-store.ts';
import { toCachedPage, type PageCacheRow } from '../rows/page-cache-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** One row per page URL; each write is one statement. */
export class PgPageCacheStore implements PageCacheStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async getPage(url: string): Promise<CachedPage | null> {
    const { rows } = await this.#db.query<PageCacheRow>('SELECT * FROM page_cache WHERE url = $1', [url]);
    const row = rows[0];
    if (!row) return null;
    return toCachedPage(row);
  }

  async putPage(page: CachedPage): Promise<void> {
    await this.#db.query(
      `INSERT INTO page_cache (url, etag, last_modified, title, text, image_url, language, fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, title = excluded.title,
         text = excluded.text, image_url = excluded.image_url, language = excluded.language, fetched_at = excluded.fetched_at`,
      [
        page.url,
        page.validators.etag,
        page.validators.lastModified,
        page.title,
        page.text,
        page.imageUrl,
        page.language,
        page.fetchedAt,
      ],
    );
  }

  async touchPage(url: string, at: Date): Promise<void> {
    await this.#db.query('UPDATE page_cache SET fetched_at = $1 WHERE url = $2', [at.toISOString(), url]);
  }
}
