import type { CachedPage, PageCacheStore } from '../page-cache-store.ts';
import type { SqliteDatabase } from './open-database.ts';

interface Row {
  url: string;
  etag: string | null;
  last_modified: string | null;
  title: string | null;
  text: string;
  image_url: string | null;
  fetched_at: string;
}

/** One row per page URL; each write is one statement. */
export class SqlitePageCacheStore implements PageCacheStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      get: db.prepare('SELECT * FROM page_cache WHERE url = ?'),
      put: db.prepare(
        `INSERT INTO page_cache (url, etag, last_modified, title, text, image_url, fetched_at)
         VALUES (@url, @etag, @lastModified, @title, @text, @imageUrl, @fetchedAt)
         ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, title = excluded.title,
           text = excluded.text, image_url = excluded.image_url, fetched_at = excluded.fetched_at`,
      ),
      touch: db.prepare('UPDATE page_cache SET fetched_at = ? WHERE url = ?'),
    };
  }

  async getPage(url: string): Promise<CachedPage | null> {
    const row = this.statements.get.get(url) as Row | undefined;
    if (!row) return null;
    return {
      url: row.url,
      validators: { etag: row.etag, lastModified: row.last_modified },
      title: row.title,
      text: row.text,
      imageUrl: row.image_url,
      fetchedAt: row.fetched_at,
    };
  }

  async putPage(page: CachedPage): Promise<void> {
    this.statements.put.run({
      url: page.url,
      etag: page.validators.etag,
      lastModified: page.validators.lastModified,
      title: page.title,
      text: page.text,
      imageUrl: page.imageUrl,
      fetchedAt: page.fetchedAt,
    });
  }

  async touchPage(url: string, at: Date): Promise<void> {
    this.statements.touch.run(at.toISOString(), url);
  }
}
