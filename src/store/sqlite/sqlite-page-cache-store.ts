import type { CachedPage, PageCacheStore } from '../../ingest/fulltext/page-cache-store.ts';
import { toCachedPage, type PageCacheRow } from '../rows/page-cache-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/** One row per page URL; each write is one statement. */
export class SqlitePageCacheStore implements PageCacheStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      get: db.prepare('SELECT * FROM page_cache WHERE url = ?'),
      put: db.prepare(
        `INSERT INTO page_cache (url, etag, last_modified, title, text, image_url, language, fetched_at)
         VALUES (@url, @etag, @lastModified, @title, @text, @imageUrl, @language, @fetchedAt)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, title = excluded.title,
           text = excluded.text, image_url = excluded.image_url, language = excluded.language, fetched_at = excluded.fetched_at`,
      ),
      touch: db.prepare('UPDATE page_cache SET fetched_at = ? WHERE url = ?'),
    };
  }

  async getPage(url: string): Promise<CachedPage | null> {
    const row = this.statements.get.get(url) as PageCacheRow | undefined;
    if (!row) return null;
    return toCachedPage(row);
  }

  async putPage(page: CachedPage): Promise<void> {
    this.statements.put.run({
      url: page.url,
      etag: page.validators.etag,
      lastModified: page.validators.lastModified,
      title: page.title,
      text: page.text,
      imageUrl: page.imageUrl,
      language: page.language,
      fetchedAt: page.fetchedAt,
    });
  }

  async touchPage(url: string, at: Date): Promise<void> {
    this.statements.touch.run(at.toISOString(), url);
  }
}
