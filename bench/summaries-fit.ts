/**
 * Fits the sentence-score weights of rank-sentences.ts (RankingWeights) by logistic
 * regression on the TUNING three quarters of the corpus (bench/eval/held-out.ts):
 * a sentence is positive when the reference summary contains it. Prints the weights to
 * paste into DEFAULT_RANKING and how often the k best-scored sentences are the
 * reference's k (precision at k) on both parts. It never fits on the held-out quarter.
 *
 *   npx tsx bench/summaries-fit.ts [DIR]    (default /work/shared/corpus/bbc-dev)
 */
import { articleSentences } from '../src/content/article-sentences.ts';
import { splitHeldOut } from './eval/held-out.ts';
import { readLabelledCorpus, type LabelledArticle } from './eval/read-labelled-corpus.ts';
import {
  DEFAULT_RANKING,
  logisticScore,
  sentenceFeatures,
  type RankingWeights,
} from '../src/content/rank-sentences.ts';

const dir = process.argv[2] ?? '/work/shared/corpus/bbc-dev';
const { tuning, heldOut } = splitHeldOut(readLabelledCorpus(dir).filter((a) => a.reference));
const KEYS = Object.keys(DEFAULT_RANKING.weights) as (keyof RankingWeights)[];
const letters = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

function examples(articles: readonly LabelledArticle[]) {
  return articles.map((article) => {
    const sentences = articleSentences(article.text);
    const reference = letters(article.reference!);
    return {
      x: sentenceFeatures(sentences, article.title).map((f) => KEYS.map((k) => f[k])),
      y: sentences.map((s) => (reference.includes(letters(s.text)) ? 1 : 0)),
    };
  });
}

const train = examples(tuning);
const rows = train.flatMap((a) => a.x.map((x, i) => ({ x, y: a.y[i]! })));
// Adam on the mean log-loss: a few thousand full-batch steps converge on ~6,000 rows.
const w = new Array<number>(KEYS.length).fill(0);
const m = new Array<number>(KEYS.length).fill(0);
const v = new Array<number>(KEYS.length).fill(0);
for (let step = 1; step <= 1500; step++) {
  const grad = new Array<number>(KEYS.length).fill(0);
  for (const { x, y } of rows) {
    const p = 1 / (1 + Math.exp(-x.reduce((s, xi, j) => s + xi * w[j]!, 0)));
    for (let j = 0; j < x.length; j++) grad[j]! += ((p - y) * x[j]!) / rows.length;
  }
  for (let j = 0; j < w.length; j++) {
    m[j] = 0.9 * m[j]! + 0.1 * grad[j]!;
    v[j] = 0.999 * v[j]! + 0.001 * grad[j]! ** 2;
    w[j]! -= (0.05 * (m[j]! / (1 - 0.9 ** step))) / (Math.sqrt(v[j]! / (1 - 0.999 ** step)) + 1e-8);
  }
}
const weights = Object.fromEntries(KEYS.map((k, j) => [k, Number(w[j]!.toFixed(3))])) as unknown as RankingWeights;

function precisionAtK(set: ReturnType<typeof examples>, ws: RankingWeights): number {
  let sum = 0;
  let n = 0;
  for (const a of set) {
    const k = a.y.reduce<number>((s, y) => s + y, 0);
    if (k === 0) continue;
    const scores = a.x.map((x) =>
      logisticScore(Object.fromEntries(KEYS.map((key, j) => [key, x[j]!])) as unknown as RankingWeights, ws),
    );
    const top = scores
      .map((_, i) => i)
      .sort((p, q) => scores[q]! - scores[p]!)
      .slice(0, k);
    sum += top.filter((i) => a.y[i]).length / k;
    n += 1;
  }
  return sum / n;
}

const held = examples(heldOut);
console.log(`tuning ${tuning.length} articles (${rows.length} sentences), held-out ${heldOut.length} articles`);
console.log(`weights: ${JSON.stringify(weights)}`);
for (const [name, ws] of [
  ['fitted', weights],
  ['DEFAULT_RANKING', DEFAULT_RANKING.weights],
] as const) {
  console.log(
    `${name.padEnd(16)} precision at k: tuning ${(100 * precisionAtK(train, ws)).toFixed(1)}%, held-out ${(100 * precisionAtK(held, ws)).toFixed(1)}%`,
  );
}
