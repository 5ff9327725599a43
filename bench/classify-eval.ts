/**
 * Stratified k-fold cross-validated accuracy of the category model, trained the way the
 * product trains it: every labelled article is an example with its category.
 *
 *   npx tsx bench/classify-eval.ts [DIR] [FOLDS]   (default /work/shared/corpus/bbc-dev, 5)
 *
 * Reports accuracy over all articles (an abstention counts as wrong), coverage (share
 * with a confidence at or above minConfidence 0.5) and accuracy on the covered ones.
 * Floor (issue 3): 95% accuracy.
 */
import { readLabelledCorpus, type LabelledArticle } from '../src/content/eval/read-labelled-corpus.ts';
import { trainClassifier } from '../src/content/category-model.ts';

const dir = process.argv[2] ?? '/work/shared/corpus/bbc-dev';
const folds = Number(process.argv[3] ?? 5);
const articles = readLabelledCorpus(dir);

// Stratify: deal each category's articles round-robin into the folds.
const foldOf = new Map<LabelledArticle, number>();
const byCategory = new Map<string, LabelledArticle[]>();
for (const a of articles) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
for (const list of byCategory.values()) list.forEach((a, i) => foldOf.set(a, i % folds));

let top1 = 0;
let covered = 0;
let coveredCorrect = 0;
let trainMs = 0;
const confusion = new Map<string, number>();
for (let fold = 0; fold < folds; fold++) {
  const train = articles.filter((a) => foldOf.get(a) !== fold);
  const test = articles.filter((a) => foldOf.get(a) === fold);
  const started = performance.now();
  const model = trainClassifier(train.map((a) => ({ title: a.title, text: a.text, categories: [a.category] })));
  trainMs += performance.now() - started;
  for (const a of test) {
    const best = model.scores(a)[0]!;
    if (best.category === a.category) top1 += 1;
    else confusion.set(`${a.category}->${best.category}`, (confusion.get(`${a.category}->${best.category}`) ?? 0) + 1);
    if (best.confidence >= model.minConfidence) {
      covered += 1;
      if (best.category === a.category) coveredCorrect += 1;
    }
  }
}
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
console.log(`corpus ${dir}: ${articles.length} articles, ${byCategory.size} categories, ${folds}-fold stratified`);
console.log(`accuracy (best category): ${pct(top1 / articles.length)}  (floor 95%) -> ${top1 / articles.length >= 0.95 ? 'PASS' : 'FAIL'}`);
console.log(`with minConfidence 0.5: coverage ${pct(covered / articles.length)}, accuracy on covered ${pct(coveredCorrect / covered)}, accuracy counting abstentions as wrong ${pct(coveredCorrect / articles.length)}`);
console.log(`mean training time per fold (${Math.round(articles.length * (1 - 1 / folds))} articles): ${(trainMs / folds).toFixed(1)} ms`);
console.log(`errors: ${[...confusion].map(([k, n]) => `${k}:${n}`).join(' ') || 'none'}`);
