import type { Article } from './article.ts';

/** An article as kept in the store: the public fields plus what ingest and the classifier need. */
export interface StoredArticle extends Article {
  /** The name readers see for the source; null for articles stored before titles existed. */
  sourceTitle: string | null;
  description: string | null;
  contentHash: string;
  categoryOrigin: CategoryOrigin;
  firstSeenAt: string;
  updatedAt: string;
}

/** Who decided an article's configured category; an editor outranks the source, the source the classifier. */
export type CategoryOrigin = 'editor' | 'source' | 'classifier' | 'none';

export type ArticleRecord = Omit<StoredArticle, 'firstSeenAt' | 'updatedAt'>;
