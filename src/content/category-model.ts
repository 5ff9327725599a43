import { termCounts } from './term-counts.ts';
import { TfidfVectorizer, type SparseVector } from './tfidf-vectorizer.ts';
import { trainSoftmax, type SoftmaxModel } from './softmax-regression.ts';

/**
 * The category model, trained from the store's own categorized articles: multinomial
 * logistic regression (src/content/softmax-regression.ts) over TF-IDF vectors
 * (src/content/tfidf-vectorizer.ts) of stemmed content words, title counted twice
 * (src/content/term-counts.ts). Chosen over naive Bayes on bench/classify-eval.ts, where
 * it is right more often on articles it never saw, with a confidence that is a real
 * probability.
 *
 * `add()` keeps the example's term counts; the model is fitted again on the first
 * prediction after a change (a few hundred ms for a few thousand articles), so learning
 * one article at a time stays cheap and a model fed the same examples in the same order
 * predicts exactly the same, whether they came in one batch or one by one.
 *
 * Confidence: the softmax probability. An article mostly made of words the model never
 * saw gets a short vector (see the vectorizer), so its probabilities stay near the
 * priors and below `minConfidence`: it stays uncategorized.
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
  /** Below this probability the article gets no category. Default 0.5. */
  minConfidence?: number;
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
}

interface StoredExample {
  counts: Map<string, number>;
  categories: string[];
}

interface Fitted {
  categories: string[];
  vectorizer: TfidfVectorizer;
  softmax: SoftmaxModel;
}

export class CategoryModel {
  readonly minConfidence: number;
  readonly minExamples: number;
  readonly #options: CategoryModelOptions;
  readonly #examples: StoredExample[] = [];
  readonly #perCategory = new Map<string, number>();
  #fitted: Fitted | null = null;

  constructor(options: CategoryModelOptions = {}) {
    this.minConfidence = options.minConfidence ?? 0.5;
    this.minExamples = options.minExamples ?? 3;
    this.#options = options;
  }

  /** Learns one labelled article (the fit itself waits for the next prediction). */
  add(example: CategoryExample): void {
    const categories = [...new Set(example.categories)];
    if (categories.length === 0) return;
    this.#examples.push({ counts: this.#termCounts(example), categories });
    for (const category of categories) this.#perCategory.set(category, (this.#perCategory.get(category) ?? 0) + 1);
    this.#fitted = null;
  }

  /** Categories the model may predict: those with at least `minExamples` examples. */
  get categories(): string[] {
    return [...this.#perCategory].filter(([, n]) => n >= this.minExamples).map(([name]) => name).sort();
  }

  get exampleCount(): number {
    return this.#examples.length;
  }

  /** Confidence for every predictable category, best first. */
  scores(article: { title: string; text: string }): CategoryPrediction[] {
    return this.#score(article).predictions;
  }

  /**
   * The best category, or null when none reaches `minConfidence` (the article stays
   * uncategorized). Also null without evidence: when no term of the article is in the
   * model's vocabulary (the scores are then the priors alone) or when the best two tie,
   * which with two categories would otherwise pass the default 0.5 by alphabetical order.
   */
  classify(article: { title: string; text: string }, minConfidence = this.minConfidence): CategoryPrediction | null {
    const { predictions, known } = this.#score(article);
    const [best, runnerUp] = predictions;
    if (!best || !known || best.confidence < minConfidence) return null;
    return runnerUp && runnerUp.confidence >= best.confidence ? null : best;
  }

  #termCounts(article: { title: string; text: string }): Map<string, number> {
    return termCounts(article, { titleWeight: this.#options.titleWeight, bigramWeight: this.#options.bigramWeight ?? 0 });
  }

  #score(article: { title: string; text: string }): { predictions: CategoryPrediction[]; known: boolean } {
    const fitted = this.#fit();
    if (!fitted) return { predictions: [], known: false };
    const x: SparseVector = fitted.vectorizer.transform(this.#termCounts(article));
    const probabilities = fitted.softmax.probabilities(x);
    const predictions = fitted.categories
      .map((category, k) => ({ category, confidence: probabilities[k]! }))
      .sort((a, b) => b.confidence - a.confidence || a.category.localeCompare(b.category));
    return { predictions, known: x.indices.length > 0 };
  }

  #fit(): Fitted | null {
    if (this.#fitted) return this.#fitted;
    const categories = this.categories;
    if (categories.length === 0) return null;
    const slot = new Map(categories.map((c, k) => [c, k]));
    const used = this.#examples.filter((e) => e.categories.some((c) => slot.has(c)));
    const vectorizer = TfidfVectorizer.fit(used.map((e) => e.counts), { minDf: this.#options.minDf ?? 1 });
    const training = used.map((e) => {
      const target = new Float64Array(categories.length);
      const mine = e.categories.filter((c) => slot.has(c));
      for (const c of mine) target[slot.get(c)!] = 1 / mine.length;
      return { x: vectorizer.transform(e.counts), target };
    });
    const softmax = trainSoftmax(training, categories.length, vectorizer.size, { l2: this.#options.l2 ?? 3e-5 });
    this.#fitted = { categories, vectorizer, softmax };
    return this.#fitted;
  }
}

export function trainClassifier(examples: readonly CategoryExample[], options: CategoryModelOptions = {}): CategoryModel {
  const model = new CategoryModel(options);
  for (const example of examples) model.add(example);
  return model;
}
