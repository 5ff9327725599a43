import { termCounts } from './term-counts.ts';
import { TfidfVectorizer, type SparseVector } from './tfidf-vectorizer.ts';
import { trainSoftmax, type SoftmaxModel } from './softmax-regression.ts';
import { selfTrainSoftmax } from './self-training.ts';
import { DEFAULT_LABEL_SHARE, labellingThreshold, surenessOf } from './pool-threshold.ts';

/**
 * The category model, trained from the store's own categorized articles: multinomial
 * logistic regression (src/content/softmax-regression.ts) over TF-IDF vectors
 * (src/content/tfidf-vectorizer.ts) of stemmed content words, title counted twice
 * (src/content/term-counts.ts). Chosen over naive Bayes on bench/classify-eval.ts, where
 * it is right more often on articles it never saw, with a confidence that is a real
 * probability.
 *
 * `add()` keeps the example's term counts; the model is fitted again on the first
 * prediction after a change (about 1.2 s of CPU for 3000 articles, 2.3 s with 1000
 * unlabelled ones), so learning one article at a time stays cheap and a model fed the
 * same examples in the same order predicts exactly the same, whether they came in one
 * batch or one by one.
 *
 * Unlabelled articles (`addUnlabelled`: the store's articles that arrived without a
 * category, which are what the model classifies) are a pool for self-training
 * (src/content/self-training.ts): a second model also learns the pool's articles under
 * the labels it gives them, growing from its surest guesses. It decides the ranking of
 * the categories; on bench/classify-eval.ts it is right more often than the model of the
 * labels alone, above all with few labels (a quarter of the corpus: 97.3% against 95.4%).
 *
 * Confidence: the probability the model of the labelled articles alone gives the
 * category, even when the ranking comes from the self-trained model. The self-trained
 * model is sure of nearly everything in its pool, since it learnt its own guesses, and
 * would put articles of no known category into one (on the bench's open set it leaves
 * none uncategorized); the labelled-only probability keeps those out. When the two
 * models disagree the confidence is low and the article most often stays uncategorized.
 * An article mostly made of words the model never saw gets a short vector (see the
 * vectorizer), so its probabilities stay near the priors and below `minConfidence`.
 */
export interface CategoryExample {
  title: string;
  text: string;
  categories: string[];
}

export interface CategoryPrediction {
  category: string;
  confidence: number;
}

export interface CategoryModelOptions {
  /** At or above this probability the article gets its category whatever the pool says. Default 0.5. */
  minConfidence?: number;
  /**
   * Share of the unlabelled pool that gets a category even below `minConfidence`: all
   * but the least sure `1 - labelShare` of the pool by `sureness` (src/content/pool-threshold.ts).
   * Default 0.98 (issue 25); 0 leaves `minConfidence` alone; without a pool it has no effect.
   */
  labelShare?: number;
  /** Categories with fewer training examples are never predicted. Default 3. */
  minExamples?: number;
  /** L2 penalty of the logistic regression. Default 3e-5 (best of 1e-6..3e-3 on bench/classify-eval.ts). */
  l2?: number;
  /** How many times a title term counts. Default 2. */
  titleWeight?: number;
  /**
   * Minimum number of training articles a term must occur in. Default 1: on the bench 2
   * scores the same, but a young store (a few dozen articles) would lose most of its
   * topical words.
   */
  minDf?: number;
  /**
   * Weight of pairs of neighbouring content words ("interest rate"); 0 leaves them out.
   * Default 0: on bench/classify-eval.ts pairs cost accuracy (they multiply the features
   * a few hundred articles must support and shorten the single words' share of the vector).
   */
  bigramWeight?: number;
  /**
   * Most unlabelled articles kept for self-training; the oldest added go first. Default
   * 1000 (the app passes `classifier.maxUnlabelled`); 0 turns self-training off.
   */
  maxUnlabelled?: number;
  /** Self-training rounds (src/content/self-training.ts). Default 20. */
  selfTrainingRounds?: number;
}

interface StoredExample {
  counts: Map<string, number>;
  categories: string[];
}

interface Fitted {
  categories: string[];
  vectorizer: TfidfVectorizer;
  /** Fitted on the labelled examples: the confidence. */
  softmax: SoftmaxModel;
  /** Also fitted on the pseudo-labelled pool: the ranking (the same model without a pool). */
  ranking: SoftmaxModel;
  /** `sureness` from which a pool article is labelled below `minConfidence` (Infinity: never). */
  poolThreshold: number;
}

export class CategoryModel {
  readonly minConfidence: number;
  readonly minExamples: number;
  readonly labelShare: number;
  readonly #options: CategoryModelOptions;
  readonly #examples: StoredExample[] = [];
  readonly #unlabelled: Map<string, number>[] = [];
  readonly #maxUnlabelled: number;
  readonly #perCategory = new Map<string, number>();
  #fitted: Fitted | null = null;

  constructor(options: CategoryModelOptions = {}) {
    this.minConfidence = options.minConfidence ?? 0.5;
    this.minExamples = options.minExamples ?? 3;
    this.labelShare = options.labelShare ?? DEFAULT_LABEL_SHARE;
    this.#options = options;
    this.#maxUnlabelled = options.maxUnlabelled ?? 1000;
  }

  /** Learns one labelled article (the fit itself waits for the next prediction). */
  add(example: CategoryExample): void {
    const categories = [...new Set(example.categories)];
    if (categories.length === 0) return;
    this.#examples.push({ counts: this.#termCounts(example), categories });
    for (const category of categories) this.#perCategory.set(category, (this.#perCategory.get(category) ?? 0) + 1);
    this.#fitted = null;
  }

  /**
   * Keeps an article without a category for self-training (the fit waits for the next
   * prediction). Only the newest `maxUnlabelled` are kept.
   */
  addUnlabelled(article: { title: string; text: string }): void {
    if (this.#maxUnlabelled <= 0) return;
    this.#unlabelled.push(this.#termCounts(article));
    if (this.#unlabelled.length > this.#maxUnlabelled) this.#unlabelled.shift();
    this.#fitted = null;
  }

  get unlabelledCount(): number {
    return this.#unlabelled.length;
  }

  /** Categories the model may predict: those with at least `minExamples` examples. */
  get categories(): string[] {
    return [...this.#perCategory]
      .filter(([, n]) => n >= this.minExamples)
      .map(([name]) => name)
      .sort();
  }

  get exampleCount(): number {
    return this.#examples.length;
  }

  /**
   * Every predictable category, best first by the self-trained model's ranking, with
   * the labelled-only model's probability as confidence (so without a pool, confidences
   * sorted high to low; with one, the first may be lower than another when the two disagree).
   */
  scores(article: { title: string; text: string }): CategoryPrediction[] {
    return this.#score(article).predictions;
  }

  /**
   * The self-trained model's probability of its best category (the first of `scores`).
   * Over-confident on its own pool, so not the labelling confidence; bench/classify-eval.ts
   * compares it with `scores` as a ranking of how sure a prediction is.
   */
  rankingConfidence(article: { title: string; text: string }): number {
    const fitted = this.#fit();
    if (!fitted) return 0;
    return Math.max(...fitted.ranking.probabilities(fitted.vectorizer.transform(this.#termCounts(article))));
  }

  /**
   * How sure the first of `scores` is: its labelled-only probability minus the highest
   * labelled-only probability of another category (negative when the two models
   * disagree). Of the three measures bench/eval/calibration.ts compares, it best told
   * right from wrong predictions inside the tuning half (area under the ROC curve 0.993,
   * against 0.980 for the probability and 0.913 for the self-trained probability).
   */
  sureness(article: { title: string; text: string }): number {
    return surenessOf(this.#score(article).predictions);
  }

  /** The `sureness` from which an article is labelled below `minConfidence` (Infinity: never). */
  get poolThreshold(): number {
    return this.#fit()?.poolThreshold ?? Number.POSITIVE_INFINITY;
  }

  /**
   * The best category, or null (the article stays uncategorized). Labelled when its
   * confidence reaches `minConfidence` and the labelled-only model prefers no other
   * category, or when its `sureness` reaches the pool's threshold (the surest
   * `labelShare` of the articles to classify are labelled, issue 25). Never labelled
   * without evidence: when no term of the article is in the model's vocabulary (the
   * scores are then the priors alone).
   */
  classify(article: { title: string; text: string }, minConfidence = this.minConfidence): CategoryPrediction | null {
    const { predictions, known } = this.#score(article);
    const [best, runnerUp] = predictions;
    if (!best || !known) return null;
    if (surenessOf(predictions) >= this.poolThreshold) return best;
    if (best.confidence < minConfidence) return null;
    return runnerUp && runnerUp.confidence >= best.confidence ? null : best;
  }

  #termCounts(article: { title: string; text: string }): Map<string, number> {
    return termCounts(article, {
      titleWeight: this.#options.titleWeight,
      bigramWeight: this.#options.bigramWeight ?? 0,
    });
  }

  #score(article: { title: string; text: string }): { predictions: CategoryPrediction[]; known: boolean } {
    const fitted = this.#fit();
    if (!fitted) return { predictions: [], known: false };
    const x: SparseVector = fitted.vectorizer.transform(this.#termCounts(article));
    const probabilities = fitted.softmax.probabilities(x);
    const rank = fitted.ranking === fitted.softmax ? probabilities : fitted.ranking.probabilities(x);
    return { predictions: rankedPredictions(fitted.categories, probabilities, rank), known: x.indices.length > 0 };
  }

  #fit(): Fitted | null {
    if (this.#fitted) return this.#fitted;
    const categories = this.categories;
    if (categories.length === 0) return null;
    const slot = new Map(categories.map((c, k) => [c, k]));
    const used = this.#examples.filter((e) => e.categories.some((c) => slot.has(c)));
    const vectorizer = TfidfVectorizer.fit(
      used.map((e) => e.counts),
      { minDf: this.#options.minDf ?? 1 },
    );
    const training = used.map((e) => {
      const target = new Float64Array(categories.length);
      const mine = e.categories.filter((c) => slot.has(c));
      for (const c of mine) target[slot.get(c)!] = 1 / mine.length;
      return { x: vectorizer.transform(e.counts), target };
    });
    const l2 = this.#options.l2 ?? 3e-5;
    const softmax = trainSoftmax(training, categories.length, vectorizer.size, { l2 });
    const pool = this.#unlabelled.map((counts) => vectorizer.transform(counts));
    const ranking = selfTrainSoftmax(softmax, training, pool, { rounds: this.#options.selfTrainingRounds, l2 });
    const poolSureness = pool
      .filter((x) => x.indices.length > 0)
      .map((x) => surenessOf(rankedPredictions(categories, softmax.probabilities(x), ranking.probabilities(x))));
    const poolThreshold = labellingThreshold(poolSureness, this.labelShare);
    this.#fitted = { categories, vectorizer, softmax, ranking, poolThreshold };
    return this.#fitted;
  }
}

/** Categories best first by `rank`, each with its labelled-only probability as confidence. */
function rankedPredictions(
  categories: string[],
  probabilities: Float64Array,
  rank: Float64Array,
): CategoryPrediction[] {
  return categories
    .map((category, k) => ({ category, confidence: probabilities[k]!, rank: rank[k]! }))
    .sort((a, b) => b.rank - a.rank || b.confidence - a.confidence || a.category.localeCompare(b.category))
    .map(({ category, confidence }) => ({ category, confidence }));
}

/** A model of `examples`, self-trained on `unlabelled` (articles without a category, text only). */
export function trainClassifier(
  examples: readonly CategoryExample[],
  options: CategoryModelOptions = {},
  unlabelled: readonly { title: string; text: string }[] = [],
): CategoryModel {
  const model = new CategoryModel(options);
  for (const example of examples) model.add(example);
  for (const article of unlabelled) model.addUnlabelled(article);
  return model;
}
