import type { Clock } from '../core/clock.ts';
import type { ArticleEnricher } from '../ingest/ingest-sources.ts';
import { reclassifyStored, type ReclassifyReport } from '../ingest/reclassify-stored.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { ArticleQuery, ArticleStore } from '../ingest/article-store.ts';

/** The stored articles as `tidings articles` and `tidings classify` see them. */
export interface ArticleReview {
  list(query: ArticleQuery): Promise<StoredArticle[]>;
  /** Every stored article through the enricher again (optionally retrained first). */
  reclassify(enricher: ArticleEnricher, options: { retrain: boolean }): Promise<ReclassifyReport>;
}

export function createArticleReview(deps: { articles: ArticleStore; clock: Clock }): ArticleReview {
  return {
    list: (query) => deps.articles.listArticles(query),
    reclassify: (enricher, options) => reclassifyStored(deps.articles, enricher, deps.clock, options),
  };
}
