import type { ArticleRecord, StoredArticle } from '../../core/stored-article.ts';

/**
 * The articles table as both stores (SQLite and PostgreSQL) hold it, and the one mapping
 * from its rows to stored articles: the same columns give the same article.
 * PostgreSQL's search vector column is left out: only the database reads it.
 */
export interface ArticleRow {
  id: string;
  url: string | null;
  title: string;
  text: string;
  description: string | null;
  summary: string | null;
  published_at: string | null;
  categories: string;
  category_origin: StoredArticle['categoryOrigin'];
  source: string;
  source_title: string | null;
  author: string | null;
  image_url: string | null;
  language: string | null;
  content_hash: string;
  first_seen_at: string;
  updated_at: string;
}

export function toStoredArticle(row: ArticleRow): StoredArticle {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    text: row.text,
    summary: row.summary,
    publishedAt: row.published_at,
    categories: JSON.parse(row.categories) as string[],
    source: row.source,
    sourceTitle: row.source_title,
    author: row.author,
    imageUrl: row.image_url,
    language: row.language,
    description: row.description,
    contentHash: row.content_hash,
    categoryOrigin: row.category_origin,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
  };
}

/** What makes a stored article "changed": anything a reader would see. */
export function sameArticleContent(row: ArticleRow, record: ArticleRecord): boolean {
  return (
    row.content_hash === record.contentHash &&
    row.title === record.title &&
    row.url === record.url &&
    row.summary === record.summary &&
    row.published_at === record.publishedAt &&
    row.categories === JSON.stringify(record.categories) &&
    row.author === record.author &&
    row.source_title === record.sourceTitle &&
    row.image_url === record.imageUrl
  );
}
