import type { Article } from '../core/article.ts';

/** An article as kept in the store: the public fields plus what ingest and the classifier need. */
export interface StoredArticle extends Article {
  description: string | null;
  contentHash: string;
  categoryOrigin: CategoryOrigin;
  firstSeenAt: string;
  updatedAt: string;
}

export type CategoryOrigin = 'source' | 'classifier' | 'none';

export type ArticleRecord = Omit<StoredArticle, 'firstSeenAt' | 'updatedAt'>;

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
  /**
   * Replaces the categories of articles whose source gave none that is configured
   * (the full list: unknown source labels plus the classifier's pick); one transaction.
   */
  setClassifiedCategories(
    updates: readonly { id: string; categories: string[]; origin: 'classifier' | 'none' }[],
    at: Date,
  ): Promise<void>;
  /** Articles whose categories came from their source: the classifier's training data. */
  listTrainingExamples(): Promise<{ id: string; title: string; text: string; categories: string[] }[]>;
  getCachedSummary(contentHash: string, version: string): Promise<string | null>;
  putCachedSummary(contentHash: string, version: string, summary: string): Promise<void>;
}
