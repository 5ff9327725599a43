import { ENGLISH_STOP_WORDS, wordTokens } from './text-tokens.ts';

/**
 * A multinomial naive Bayes category model, trained from the store's own categorized
 * articles. Naive Bayes because it is exact to update incrementally (`add` only bumps
 * counts) and trains on thousands of articles in milliseconds.
 *
 * Features: content words of title and text (title words count twice, since editors and
 * feeds put the topic there), with log-scaled term counts so one repeated name does not
 * outvote the rest. Smoothing: Lidstone (alpha 0.3, best of 0.01..1 in bench/classify-eval.ts).
 *
 * Confidence: raw naive Bayes posteriors are near 0 or 1 for any long text, whatever
 * the evidence. We cap the evidence at `evidenceTokens` (12) tokens' worth (the mean per-token
 * log-likelihood times min(tokens, evidenceTokens)), and scale it by the square root of
 * the share of the article's words the model has seen in training, before the softmax; so an off-topic
 * or mixed article lands below `minConfidence` and stays uncategorized.
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
  /** Below this posterior the article gets no category. Default 0.5. */
  minConfidence?: number;
  /** Categories with fewer training examples are never predicted. Default 3. */
  minExamples?: number;
  /** Smoothing added to every word count. Default 0.3. */
  alpha?: number;
  /** Evidence cap for the confidence (see above). Default 12. */
  evidenceTokens?: number;
}

interface CategoryCounts {
  examples: number;
  total: number;
  words: Map<string, number>;
}

const TITLE_WEIGHT = 2;

/** Weighted bag of words of an article, as the model sees it. */
export function articleFeatures(article: { title: string; text: string }): Map<string, number> {
  const raw = new Map<string, number>();
  const addTokens = (text: string, weight: number) => {
    for (const token of wordTokens(text)) {
      if (token.length < 2 || ENGLISH_STOP_WORDS.has(token) || /^\d+$/.test(token)) continue;
      raw.set(token, (raw.get(token) ?? 0) + weight);
    }
  };
  addTokens(article.title, TITLE_WEIGHT);
  addTokens(article.text, 1);
  for (const [token, count] of raw) raw.set(token, Math.log1p(count));
  return raw;
}

export class CategoryModel {
  readonly minConfidence: number;
  readonly minExamples: number;
  private readonly alpha: number;
  private readonly evidenceTokens: number;
  private readonly counts = new Map<string, CategoryCounts>();
  private readonly vocabulary = new Set<string>();
  private exampleTotal = 0;

  constructor(options: CategoryModelOptions = {}) {
    this.minConfidence = options.minConfidence ?? 0.5;
    this.minExamples = options.minExamples ?? 3;
    this.alpha = options.alpha ?? 0.3;
    this.evidenceTokens = options.evidenceTokens ?? 12;
  }

  /** Learns one labelled article; cheap enough to call on every ingest. */
  add(example: CategoryExample): void {
    const categories = [...new Set(example.categories)];
    if (categories.length === 0) return;
    const features = articleFeatures(example);
    this.exampleTotal += 1;
    for (const category of categories) {
      let counts = this.counts.get(category);
      if (!counts) {
        counts = { examples: 0, total: 0, words: new Map() };
        this.counts.set(category, counts);
      }
      counts.examples += 1;
      for (const [word, weight] of features) {
        counts.words.set(word, (counts.words.get(word) ?? 0) + weight);
        counts.total += weight;
        this.vocabulary.add(word);
      }
    }
  }

  /** Categories the model may predict: those with at least `minExamples` examples. */
  get categories(): string[] {
    return [...this.counts].filter(([, c]) => c.examples >= this.minExamples).map(([name]) => name).sort();
  }

  get exampleCount(): number {
    return this.exampleTotal;
  }

  /** Confidence for every predictable category, best first. */
  scores(article: { title: string; text: string }): CategoryPrediction[] {
    return this.#score(articleFeatures(article)).predictions;
  }

  #score(features: Map<string, number>): { predictions: CategoryPrediction[]; knownMass: number } {
    const categories = this.categories;
    if (categories.length === 0) return { predictions: [], knownMass: 0 };
    let mass = 0;
    let knownMass = 0;
    for (const [word, weight] of features) {
      mass += weight;
      if (this.vocabulary.has(word)) knownMass += weight;
    }
    // Cap the evidence, and shrink it by the (square root of the) share of words the model has seen:
    // an article mostly about things absent from the training data is not evidence.
    const scale = (mass > this.evidenceTokens ? this.evidenceTokens / mass : 1) * (mass > 0 ? Math.sqrt(knownMass / mass) : 0);
    const vocabularySize = this.vocabulary.size + 1;
    const predictable = categories.map((name) => this.counts.get(name)!);
    const examples = predictable.reduce((sum, c) => sum + c.examples, 0);
    const logits = predictable.map((counts) => {
      const denominator = Math.log(counts.total + this.alpha * vocabularySize);
      let logLikelihood = 0;
      for (const [word, weight] of features) {
        if (!this.vocabulary.has(word)) continue; // unseen everywhere: no evidence either way
        logLikelihood += weight * (Math.log((counts.words.get(word) ?? 0) + this.alpha) - denominator);
      }
      return Math.log(counts.examples / examples) + scale * logLikelihood;
    });
    const top = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - top));
    const sum = exps.reduce((a, b) => a + b, 0);
    const predictions = categories
      .map((category, i) => ({ category, confidence: exps[i]! / sum }))
      .sort((a, b) => b.confidence - a.confidence || a.category.localeCompare(b.category));
    return { predictions, knownMass };
  }

  /**
   * The best category, or null when none reaches `minConfidence` (the article stays
   * uncategorized). Also null without evidence: when no word of the article was seen
   * in training (the scores are then the priors alone) or when the best two tie, which
   * with two categories would otherwise pass the default 0.5 by alphabetical order.
   */
  classify(article: { title: string; text: string }, minConfidence = this.minConfidence): CategoryPrediction | null {
    const { predictions, knownMass } = this.#score(articleFeatures(article));
    const [best, runnerUp] = predictions;
    if (!best || knownMass === 0 || best.confidence < minConfidence) return null;
    return runnerUp && runnerUp.confidence >= best.confidence ? null : best;
  }
}

export function trainClassifier(examples: readonly CategoryExample[], options: CategoryModelOptions = {}): CategoryModel {
  const model = new CategoryModel(options);
  for (const example of examples) model.add(example);
  return model;
}
