import type { CandidateSentence } from './article-sentences.ts';
import { leansOnPrevious } from './back-reference.ts';
import { isBareQuote } from './lead-sentence.ts';
import { textRank } from './text-rank.ts';
import { FUNCTION_WORDS, wordTokens } from './text-tokens.ts';

/**
 * Scores each candidate sentence with the chance that an editor would put it in a
 * summary: a logistic model over a few features of the sentence within its article,
 *   - frequency: the summed article frequency of its distinct content words divided by
 *     (distinct content words)^frequencyDamping, as a z-score within the article (a
 *     sentence made of the article's recurring words is about what the article is about);
 *   - textRank: its TextRank centrality (text-rank.ts), as a z-score within the article;
 *   - second: 1 for the article's second sentence; position: min(index, 10) / 10;
 *   - length: words / 30; openingQuote: 1 when it opens with a quotation;
 *   - title: the share of the title's content words it contains.
 * The weights were fitted by logistic regression (bench/summaries-fit.ts) on the
 * tuning three quarters of the BBC development corpus, never on the held-out quarter.
 */
export interface RankingWeights {
  frequency: number;
  textRank: number;
  second: number;
  position: number;
  length: number;
  openingQuote: number;
  title: number;
  bias: number;
}

export interface RankingTuning {
  weights: RankingWeights;
  /** Exponent of the content-word count dividing the frequency sum (1: a mean). */
  frequencyDamping: number;
  /**
   * Selection objective: sum of (score - wordCost) x words over the sentences after the
   * lead, so a sentence adds to a summary only when its chance of belonging there beats
   * wordCost (marginal gain per word).
   */
  wordCost: number;
  /** Two sentences sharing more than this share of content words are not both chosen. */
  maxOverlap: number;
}

export const DEFAULT_RANKING: RankingTuning = {
  weights: {
    frequency: 0.284,
    textRank: 2.768,
    second: 0.024,
    position: 0.085,
    length: -0.014,
    openingQuote: -0.347,
    title: 0.378,
    bias: -0.741,
  },
  frequencyDamping: 0.8,
  wordCost: 0.5,
  maxOverlap: 0.6,
};

export interface RankedSentence extends CandidateSentence {
  /** Estimated chance (0..1) that the sentence belongs in a summary. */
  score: number;
  /** Distinct content words, for redundancy checks. */
  terms: ReadonlySet<string>;
  /** Leans on the sentence before it (back-reference.ts): never shown without it. */
  dangling: boolean;
}

const OPENING_QUOTE = /^["'\u201c\u2018\u00ab]/;

export function contentWords(text: string): string[] {
  return wordTokens(text).filter((w) => w.length > 1 && !FUNCTION_WORDS.has(w));
}

/** Each feature vector in RankingWeights order, for fitting and for scoring. */
export function sentenceFeatures(
  sentences: readonly CandidateSentence[],
  title: string,
  tuning: Pick<RankingTuning, 'frequencyDamping'> = DEFAULT_RANKING,
  words: readonly (readonly string[])[] = sentences.map((s) => contentWords(s.text)),
  distinct: readonly ReadonlySet<string>[] = words.map((w) => new Set(w)),
): RankingWeights[] {
  const frequency = new Map<string, number>();
  for (const set of distinct) for (const w of set) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const density = distinct.map((set) => {
    let sum = 0;
    for (const w of set) sum += frequency.get(w)!;
    return set.size ? sum / set.size ** tuning.frequencyDamping : 0;
  });
  const centrality = textRank(words);
  const densityZ = zScores(density);
  const centralityZ = zScores(centrality);
  const titleWords = new Set(contentWords(title));
  return sentences.map((sentence, i) => {
    let titleHits = 0;
    for (const w of titleWords) if (distinct[i]!.has(w)) titleHits += 1;
    return {
      frequency: densityZ[i]!,
      textRank: centralityZ[i]!,
      second: sentence.index === 1 ? 1 : 0,
      position: Math.min(sentence.index, 10) / 10,
      length: sentence.words / 30,
      openingQuote: OPENING_QUOTE.test(sentence.text) && isBareQuote(sentence.text) ? 1 : 0,
      title: titleWords.size ? titleHits / titleWords.size : 0,
      bias: 1,
    };
  });
}

function zScores(values: readonly number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length || 1);
  const sd = Math.sqrt(variance) || 1;
  return values.map((v) => (v - mean) / sd);
}

export function logisticScore(features: RankingWeights, weights: RankingWeights): number {
  let z = 0;
  for (const key of Object.keys(weights) as (keyof RankingWeights)[]) z += features[key] * weights[key];
  return 1 / (1 + Math.exp(-z));
}

export function rankSentences(
  sentences: readonly CandidateSentence[],
  title: string,
  tuning: RankingTuning = DEFAULT_RANKING,
): RankedSentence[] {
  const words = sentences.map((s) => contentWords(s.text));
  const distinct = words.map((w) => new Set(w));
  const features = sentenceFeatures(sentences, title, tuning, words, distinct);
  return sentences.map((sentence, i) => ({
    ...sentence,
    score: logisticScore(features[i]!, tuning.weights),
    terms: distinct[i]!,
    dangling: sentence.index > 0 && leansOnPrevious(sentence.text),
  }));
}
