import type { NewsletterConfig } from '../config/schema.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import { snapshotOf, type EditionArticle } from './edition.ts';

type Selected = Omit<EditionArticle, 'pinned' | 'excluded'>;

const timeOf = (article: StoredArticle) => Date.parse(article.publishedAt ?? article.firstSeenAt);

/**
 * Chooses an edition's articles from candidates already limited to the window:
 * each article goes to the first of the newsletter's categories it carries (one no
 * configured category claimed goes to `otherSection`, when the newsletter has one); newest
 * first within a category, at most `perCategory` each; then categories take turns
 * (round robin, in the newsletter's order) until `maxArticles`, so a busy category
 * cannot crowd out the others. Pure.
 */
export function selectArticles(
  candidates: readonly StoredArticle[],
  newsletter: Pick<NewsletterConfig, 'categories' | 'perCategory' | 'maxArticles' | 'otherSection'>,
  alreadyUsed: ReadonlySet<string>,
): Selected[] {
  const byCategory = new Map<string, StoredArticle[]>(newsletter.categories.map((slug) => [slug, []]));
  const placed = new Set<string>();
  for (const article of candidates) {
    if (alreadyUsed.has(article.id) || placed.has(article.id)) continue;
    const section =
      newsletter.categories.find((slug) => article.categories.includes(slug)) ??
      (newsletter.otherSection && article.categoryOrigin === 'none' ? newsletter.otherSection : undefined);
    if (!section) continue;
    byCategory.get(section)!.push(article);
    placed.add(article.id);
  }
  const queues = newsletter.categories.map((slug) =>
    byCategory
      .get(slug)!
      .sort((a, b) => timeOf(b) - timeOf(a) || a.id.localeCompare(b.id))
      .slice(0, newsletter.perCategory),
  );

  const chosen = new Set<string>();
  for (let round = 0; chosen.size < newsletter.maxArticles; round += 1) {
    let tookAny = false;
    for (const queue of queues) {
      const article = queue[round];
      if (!article || chosen.size >= newsletter.maxArticles) continue;
      chosen.add(article.id);
      tookAny = true;
    }
    if (!tookAny) break;
  }

  const selected: Selected[] = [];
  newsletter.categories.forEach((slug, index) => {
    let position = 0;
    for (const article of queues[index]!) {
      if (!chosen.has(article.id)) continue;
      position += 1;
      selected.push({ articleId: article.id, category: slug, ...snapshotOf(article), position });
    }
  });
  return selected;
}
