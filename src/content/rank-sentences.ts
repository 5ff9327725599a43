import type { CandidateSentence } from './article-sentences.ts';
import { FUNCTION_WORDS, wordTokens } from './text-tokens.ts';

/**
 * Scores each candidate sentence by how central it is to the article.
 *
 * Centrality is the summed document frequency of the sentence's content words
 * (normalised by the most frequent content word) divided by (content words)^0.75: a
 * sentence made of the article's recurring words is about what the article is about;
 * the damped denominator neither rewards sheer length (a sum) nor one-clause fragments
 * (a plain mean). On the BBC development corpus this alone picks reference sentences far
 * more often than the lead does; a gentle position prior (news puts the gist first) and
 * overlap with the title break ties. Tuned with bench/summaries-eval.ts.
 */
export interface RankingTuning {
  /** Weight of the position prior 1 / (1 + index / positionHalfLife). */
  positionWeight: number;
  positionHalfLife: number;
  /** Weight of the share of title content words the sentence contains. */
  titleWeight: number;
  /** Title words count this many times in the document frequencies. */
  titleFrequencyBoost: number;
  /** Sentences with fewer content words are scaled down (fragments, quotes of one clause). */
  minContentWords: number;
  /** Centrality = sum of word frequencies / (content words ^ lengthDamping): 1 is a mean, below 1 favours fuller sentences. */
  lengthDamping: number;
  /** Selection objective: sum of score x words^lengthExponent (0: sum of scores). */
  lengthExponent: number;
  /** Two sentences sharing more than this share of content words are not both chosen. */
  maxOverlap: number;
  /**
   * Share of the score taken from a sentence that leans on the one before it ("He went
   * on…", "But the…", "This means…"): out of context it reads as a dangling reference.
   */
  danglingPenalty: number;
}

export const DEFAULT_RANKING: RankingTuning = {
  positionWeight: 0.03,
  positionHalfLife: 3,
  titleWeight: 0.05,
  titleFrequencyBoost: 0,
  minContentWords: 1,
  lengthDamping: 0.75,
  lengthExponent: 0,
  maxOverlap: 0.6,
  danglingPenalty: 0.2,
};

/** Openers that point back to an earlier sentence. */
const DANGLING_OPENER =
  /^["'“‘(]?(he|she|they|it|this|these|those|that|his|her|their|its|but|and|also|however|meanwhile|so|yet|still|instead|then|such)\b/i;

export interface RankedSentence extends CandidateSentence {
  score: number;
  /** Content words, for redundancy checks. */
  terms: ReadonlySet<string>;
  /** Opens with a reference to an earlier sentence; never a summary's first sentence if avoidable. */
  dangling: boolean;
}

function contentWords(text: string): string[] {
  return wordTokens(text).filter((w) => w.length > 1 && !FUNCTION_WORDS.has(w));
}

export function rankSentences(
  sentences: readonly CandidateSentence[],
  title: string,
  tuning: RankingTuning = DEFAULT_RANKING,
): RankedSentence[] {
  const perSentence = sentences.map((s) => contentWords(s.text));
  const titleWords = new Set(contentWords(title));
  const frequency = new Map<string, number>();
  for (const words of perSentence) for (const w of words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  if (tuning.titleFrequencyBoost > 0) {
    for (const w of titleWords) frequency.set(w, (frequency.get(w) ?? 0) + tuning.titleFrequencyBoost);
  }
  let maxFrequency = 1;
  for (const f of frequency.values()) if (f > maxFrequency) maxFrequency = f;

  return sentences.map((sentence, i) => {
    const words = perSentence[i]!;
    let sum = 0;
    let titleHits = 0;
    for (const w of words) sum += frequency.get(w)! / maxFrequency;
    const terms = new Set(words);
    for (const w of titleWords) if (terms.has(w)) titleHits += 1;
    const centrality = words.length ? sum / words.length ** tuning.lengthDamping : 0;
    const shortness = Math.min(1, words.length / tuning.minContentWords);
    const position = 1 / (1 + sentence.index / tuning.positionHalfLife);
    const titleShare = titleWords.size ? titleHits / titleWords.size : 0;
    const dangling = sentence.index > 0 && DANGLING_OPENER.test(sentence.text);
    const score =
      (centrality * shortness + tuning.positionWeight * position + tuning.titleWeight * titleShare) *
      (dangling ? 1 - tuning.danglingPenalty : 1);
    return { ...sentence, score, terms, dangling };
  });
}
