import type { NewsletterConfig } from '../config/schema.ts';
import type { EditionArticle } from './edition.ts';

/**
 * One reader's share of a pool, after what they received was removed: pinned articles,
 * then sections take turns (in the reader's section order) by position, at most
 * `perCategory` per section and `maxArticles` in all. Keeps the given order.
 */
export function capAfterRemoval<T extends Pick<EditionArticle, 'pinned' | 'category' | 'position'>>(
  articles: readonly T[],
  sectionOrder: readonly string[],
  caps: Pick<NewsletterConfig, 'perCategory' | 'maxArticles'>,
): T[] {
  const chosen = new Set<T>(articles.filter((a) => a.pinned).slice(0, caps.maxArticles));
  const taken = new Map<string, number>();
  for (const article of chosen) taken.set(article.category, (taken.get(article.category) ?? 0) + 1);
  const queues = sectionOrder.map((slug) =>
    articles
      .filter((a) => a.category === slug && !a.pinned)
      .sort((a, b) => a.position - b.position)
      .slice(0, Math.max(0, caps.perCategory - (taken.get(slug) ?? 0))),
  );
  for (let round = 0; chosen.size < caps.maxArticles; round += 1) {
    let tookAny = false;
    for (const queue of queues) {
      const article = queue[round];
      if (!article || chosen.size >= caps.maxArticles) continue;
      chosen.add(article);
      tookAny = true;
    }
    if (!tookAny) break;
  }
  return articles.filter((article) => chosen.has(article));
}
