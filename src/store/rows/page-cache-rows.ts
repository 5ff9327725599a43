import type { CachedPage } from '../../ingest/fulltext/page-cache-store.ts';

/** The page_cache table as both stores (SQLite and PostgreSQL) hold it, and its one mapping. */
export interface PageCacheRow {
  url: string;
  etag: string | null;
  last_modified: string | null;
  title: string | null;
  text: string;
  image_url: string | null;
  language: string | null;
  fetched_at: string;
}

export function toCachedPage(row: PageCacheRow): CachedPage {
  return {
    url: row.url,
    validators: { etag: row.etag, lastModified: row.last_modified },
    title: row.title,
    text: row.text,
    imageUrl: row.image_url,
    language: row.language,
    fetchedAt: row.fetched_at,
  };
}
