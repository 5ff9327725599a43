import type { Clock } from '../core/clock.ts';
import type { ArticleStore } from './article-store.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { ArticleEnricher } from './ingest-sources.ts';

export interface ReclassifyReport {
  examined: number;
  /** Articles per assigned category; `uncategorized` for those left without one. */
  perCategory: Record<string, number>;
}

/**
 * Runs the classifier over stored articles that have no configured category from
 * their source: the uncategorized ones, and with `retrain` also those it labelled
 * before (a fresh model may decide differently).
 */
export async function reclassifyStored(
  store: ArticleStore,
  enricher: ArticleEnricher,
  clock: Clock,
  options: { retrain: boolean },
): Promise<ReclassifyReport> {
  const all = await store.listArticles();
  const targets = all.filter(
    (a) => a.categoryOrigin === 'none' || (options.retrain && a.categoryOrigin === 'classifier'),
  );
  // Unknown source labels stay; only the classifier's pick is recomputed.
  const asUnlabelled = targets.map((article: StoredArticle) => ({
    ...article,
    categories: article.categoryOrigin === 'classifier' ? article.categories.slice(1) : article.categories,
    categoryOrigin: 'none' as const,
  }));
  const decided = await enricher.enrich(asUnlabelled);
  const perCategory: Record<string, number> = {};
  const updates = decided.map((record) => {
    const key = record.categoryOrigin === 'classifier' ? record.categories[0]! : 'uncategorized';
    perCategory[key] = (perCategory[key] ?? 0) + 1;
    return {
      id: record.id,
      categories: record.categories,
      origin: record.categoryOrigin === 'classifier' ? ('classifier' as const) : ('none' as const),
    };
  });
  await store.setClassifiedCategories(updates, clock.now());
  return { examined: targets.length, perCategory };
}
