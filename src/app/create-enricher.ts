import { StoreBackedEnricher } from '../content/article-enricher.ts';
import type { AppContext } from './context.ts';

export async function createEnricher(ctx: AppContext): Promise<StoreBackedEnricher> {
  return new StoreBackedEnricher({
    articles: ctx.store.articles,
    categories: ctx.config.categories,
    summaries: ctx.config.summaries,
    classifier: ctx.config.classifier,
    logger: ctx.logger,
  });
}
