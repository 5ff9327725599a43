import type { ArticleRecord, StoredArticle } from '../core/stored-article.ts';

export type SaveOutcome = 'new' | 'updated' | 'unchanged' | 'duplicate';

export interface SaveReport {
  new: number;
  updated: number;
  unchanged: number;
  duplicate: number;
  outcomes: { id: string; outcome: SaveOutcome }[];
}

export interface ArticleQuery {
  category?: string;
  /** Published at or after (articles with no published time use their first-seen time). */
  since?: Date;
  /** With `since`: also articles first seen at or after this, whenever they were published. */
  orSeenSince?: Date;
  until?: Date;
  /** Only articles with no configured category. */
  uncategorized?: boolean;
  ids?: readonly string[];
  limit?: number;
}

/**
 * The articles part of the store. Methods are async so that a networked store
 * (PostgreSQL) can implement the same interface; each write is one transaction.
 */
export interface ArticleStore {
  /** Upserts one source's articles in a single transaction: all are saved or none. */
  saveArticles(records: readonly ArticleRecord[], at: Date): Promise<SaveReport>;
  /** Newest first (by published time, else first-seen time). */
  listArticles(query?: ArticleQuery): Promise<StoredArticle[]>;
  getArticle(id: string): Promise<StoredArticle | null>;
  /** Ids starting with `prefix` (taken literally: `%` and `_` match themselves), at most `limit`, sorted. */
  findArticleIdsByPrefix(prefix: string, limit: number): Promise<string[]>;
  /**
   * Replaces the categories of articles whose source gave none that is configured
   * (the full list: unknown source labels plus the classifier's pick); one transaction.
   */
  setClassifiedCategories(
    updates: readonly { id: string; categories: string[]; origin: 'classifier' | 'none' }[],
    at: Date,
  ): Promise<void>;
  /**
   * An editor's label: the category replaces the article's configured ones (unknown
   * source labels stay), with origin 'editor', which later ingests and the classifier keep.
   */
  setEditorCategory(
    id: string,
    category: string,
    configuredCategories: readonly string[],
    at: Date,
  ): Promise<StoredArticle | null>;
  /** Full-text search over titles and text (words, prefixes with `*`, phrases in quotes); best match first. */
  searchArticles(query: string, limit: number): Promise<StoredArticle[]>;
  /** Articles whose categories came from their source or an editor: the classifier's training data. */
  listTrainingExamples(): Promise<{ id: string; title: string; text: string; categories: string[] }[]>;
  getCachedSummary(contentHash: string, version: string): Promise<string | null>;
  putCachedSummary(contentHash: string, version: string, summary: string): Promise<void>;
}
