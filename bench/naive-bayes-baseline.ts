/**
 * The baseline of bench/classify-eval.ts: multinomial naive Bayes (Lidstone alpha 0.3)
 * over the same term counts as the product's model, log-scaled so a repeated name does
 * not outvote the rest: the method of the classifier before issue 13, without its
 * confidence damping (only the best category and its posterior are compared).
 */
import type { CategoryExample, CategoryPrediction } from '../src/content/category-model.ts';
import { termCounts } from '../src/content/term-counts.ts';

export function naiveBayesBaseline(examples: readonly CategoryExample[], alpha = 0.3) {
  const words = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const docs = new Map<string, number>();
  const vocabulary = new Set<string>();
  const features = (a: { title: string; text: string }) =>
    [...termCounts(a, { bigramWeight: 0 })].map(([t, n]) => [t, Math.log1p(n)] as const);
  for (const example of examples) {
    const category = example.categories[0]!;
    const counts = words.get(category) ?? new Map<string, number>();
    words.set(category, counts);
    docs.set(category, (docs.get(category) ?? 0) + 1);
    for (const [term, weight] of features(example)) {
      counts.set(term, (counts.get(term) ?? 0) + weight);
      totals.set(category, (totals.get(category) ?? 0) + weight);
      vocabulary.add(term);
    }
  }
  const categories = [...words.keys()].sort();
  return {
    scores(article: { title: string; text: string }): CategoryPrediction[] {
      const f = features(article).filter(([t]) => vocabulary.has(t));
      const logits = categories.map((c) => {
        const denominator = Math.log((totals.get(c) ?? 0) + alpha * (vocabulary.size + 1));
        let sum = Math.log(docs.get(c)! / examples.length);
        for (const [term, weight] of f)
          sum += weight * (Math.log((words.get(c)!.get(term) ?? 0) + alpha) - denominator);
        return sum;
      });
      const top = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - top));
      const total = exps.reduce((s, x) => s + x, 0);
      return categories
        .map((category, i) => ({ category, confidence: exps[i]! / total }))
        .sort((a, b) => b.confidence - a.confidence);
    },
  };
}
