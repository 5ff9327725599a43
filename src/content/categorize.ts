import type { CategoryModel, CategoryPrediction } from './category-model.ts';
import { foldAccents } from './text-tokens.ts';

/**
 * Assigning a category to an article that arrived without a configured one:
 *   1. configured keyword rules (`categories.<slug>.keywords`) first: the category whose
 *      keywords occur most often in title and text wins (whole words or phrases, case-
 *      and accent-insensitive; a title hit counts double; ties go to the category listed
 *      first in the configuration);
 *   2. otherwise the category model, if its confidence reaches `minConfidence`;
 *   3. otherwise none: the article stays uncategorized rather than being forced.
 */
export interface CategoryDecision {
  category: string;
  confidence: number;
  method: 'rule' | 'model';
}

export interface ArticleForCategory {
  title: string;
  text: string;
}

/** Lower-case, accents folded, every run of non-letters a single space, padded with spaces. */
function normalizeForMatch(text: string): string {
  return ` ${foldAccents(text.toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

function countPhrase(haystack: string, phrase: string): number {
  if (phrase === '  ') return 0;
  let count = 0;
  for (let at = haystack.indexOf(phrase); at >= 0; at = haystack.indexOf(phrase, at + phrase.length - 1)) count += 1;
  return count;
}

/** Keyword hits per category, highest first; categories without hits are left out. */
export function keywordHits(
  article: ArticleForCategory,
  keywordRules: Readonly<Record<string, readonly string[]>>,
): { category: string; hits: number }[] {
  const title = normalizeForMatch(article.title);
  const text = normalizeForMatch(article.text);
  const out: { category: string; hits: number; order: number }[] = [];
  Object.entries(keywordRules).forEach(([category, keywords], order) => {
    let hits = 0;
    for (const keyword of keywords) {
      const phrase = normalizeForMatch(keyword);
      hits += 2 * countPhrase(title, phrase) + countPhrase(text, phrase);
    }
    if (hits > 0) out.push({ category, hits, order });
  });
  return out.sort((a, b) => b.hits - a.hits || a.order - b.order).map(({ category, hits }) => ({ category, hits }));
}

/** The category chosen by keyword rules alone, or null when no keyword occurs. */
export function classifyWithRules(
  article: ArticleForCategory,
  keywordRules: Readonly<Record<string, readonly string[]>>,
): CategoryDecision | null {
  const hits = keywordHits(article, keywordRules);
  const best = hits[0];
  if (!best) return null;
  const total = hits.reduce((sum, h) => sum + h.hits, 0);
  return { category: best.category, confidence: best.hits / total, method: 'rule' };
}

export function categorize(
  article: ArticleForCategory,
  options: {
    model: CategoryModel | null;
    rules?: Readonly<Record<string, readonly string[]>>;
    minConfidence?: number;
  },
): CategoryDecision | null {
  const byRule = options.rules ? classifyWithRules(article, options.rules) : null;
  if (byRule) return byRule;
  if (!options.model) return null;
  const prediction: CategoryPrediction | null = options.model.classify(article, options.minConfidence);
  return prediction ? { ...prediction, method: 'model' } : null;
}
