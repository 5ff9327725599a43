import { isSelfContained } from './back-reference.ts';
import { canStateNews } from './lead-sentence.ts';
import { DEFAULT_RANKING, type RankedSentence, type RankingTuning } from './rank-sentences.ts';
import { countWords } from './text-tokens.ts';

/**
 * Chooses the summary's sentences, returned in article order:
 *   - the news lead (`lead`, a position in `ranked`) always, when given: it opens the summary;
 *   - the rest: the set that maximises sum((score - wordCost) × words) among the
 *     best-ranked candidates, for minSentences..maxSentences sentences within maxWords:
 *     the expected number of words a reader's summary should hold, less a cost per word,
 *     so a sentence beyond minSentences is added only when its score beats wordCost (a
 *     weak sentence does not pad a summary just because words are left), where
 *       - every sentence that leans on the one before it has that one in the set too
 *         (back-reference.ts), otherwise it is skipped;
 *       - no two sentences share more than maxOverlap of their content words (MMR-style).
 * Without a lead, sets whose first sentence could not state the news (a bare quote, a
 * question, a teaser) are used only when no other set fits.
 *
 * Any candidate, the lead included, may be used in its short form (`shorten`, passed in:
 * compress-sentence.ts in the product; only the candidates are shortened, for speed). A
 * short form never weighs more than its whole sentence, so it is chosen only when it lets
 * a better set fit in maxWords; when everything fits, sentences stay whole.
 *
 * When no set of minSentences fits, the lead alone (or the best single sentence) is
 * used; when nothing fits at all, the shortest of the best-ranked sentences, whole:
 * a summary never ends mid-sentence, so in that one case it exceeds maxWords.
 */
export interface SelectionLimits {
  maxWords: number;
  minSentences: number;
  maxSentences: number;
}

const POOL_SIZE = 14;

function overlap(a: RankedSentence, b: RankedSentence): number {
  const smaller = a.terms.size <= b.terms.size ? a : b;
  const larger = smaller === a ? b : a;
  if (smaller.terms.size === 0) return 0;
  let shared = 0;
  for (const t of smaller.terms) if (larger.terms.has(t)) shared += 1;
  return shared / smaller.terms.size;
}

/** The best-ranked candidates, plus the sentence each leaning one needs. */
function candidatePool(ranked: readonly RankedSentence[], lead: RankedSentence | undefined): RankedSentence[] {
  const byIndex = new Map(ranked.map((s) => [s.index, s]));
  const best = [...ranked].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, POOL_SIZE);
  const pool = new Set(best);
  for (const s of best) {
    const previous = s.dangling ? byIndex.get(s.index - 1) : undefined;
    if (previous) pool.add(previous);
  }
  if (lead) pool.delete(lead);
  return [...pool];
}

export function selectSentences(
  ranked: readonly RankedSentence[],
  limits: SelectionLimits,
  tuning: RankingTuning = DEFAULT_RANKING,
  lead?: number,
  shorten: (text: string) => string = (text) => text,
): RankedSentence[] {
  if (ranked.length === 0) return [];
  const leadSentence = lead === undefined ? undefined : ranked[lead];
  const pool = candidatePool(ranked, leadSentence);
  const maxSentences = Math.max(1, limits.maxSentences);
  const minSentences = Math.min(Math.max(1, limits.minSentences), maxSentences);
  const byIndex = new Map(ranked.map((s) => [s.index, s]));
  const leans = (index: number) => byIndex.get(index)?.dangling === true;
  // Expected words in a summary, less a cost per word: a sentence earns its place only
  // when its chance of belonging there beats wordCost. A short form never weighs more
  // than the whole sentence: shortening only ever buys room for another sentence.
  const whole = (s: RankedSentence) => (s.score - tuning.wordCost) * s.words;
  interface Form {
    sentence: RankedSentence;
    weight: number;
  }
  // Each candidate whole, then its short form when that differs: computed once per candidate.
  const formsOf = new Map<RankedSentence, Form[]>();
  const forms = (s: RankedSentence): Form[] => {
    let list = formsOf.get(s);
    if (!list) {
      const text = shorten(s.text);
      list = [{ sentence: s, weight: whole(s) }];
      if (text !== s.text) {
        const short = { ...s, text, words: countWords(text) };
        list.push({ sentence: short, weight: Math.min(whole(short), whole(s)) });
      }
      formsOf.set(s, list);
    }
    return list;
  };

  // The best set, and the best whose first sentence (in article order) can state the news.
  let best: RankedSentence[] = [];
  let bestScore = -Infinity;
  let bestReadable: RankedSentence[] = [];
  let bestReadableScore = -Infinity;
  const chosen: RankedSentence[] = [];
  const consider = (score: number) => {
    if (chosen.length < minSentences) return;
    if (
      !isSelfContained(
        chosen.map((s) => s.index),
        leans,
      )
    )
      return;
    if (score > bestScore) {
      bestScore = score;
      best = [...chosen];
    }
    if (score > bestReadableScore && opensWithNews(chosen)) {
      bestReadableScore = score;
      bestReadable = [...chosen];
    }
  };
  const search = (from: number, words: number, score: number) => {
    consider(score);
    if (chosen.length === maxSentences) return;
    for (let i = from; i < pool.length; i++) {
      if (chosen.some((c) => overlap(c, pool[i]!) > tuning.maxOverlap)) continue;
      for (const { sentence, weight } of forms(pool[i]!)) {
        if (words + sentence.words > limits.maxWords) continue;
        chosen.push(sentence);
        search(i + 1, words + sentence.words, score + weight);
        chosen.pop();
      }
    }
  };
  if (leadSentence) {
    // The lead is always in: only what its short form costs against it counts.
    const [wholeLead] = forms(leadSentence);
    for (const { sentence, weight } of forms(leadSentence)) {
      if (sentence.words > limits.maxWords) continue;
      chosen.push(sentence);
      search(0, sentence.words, weight - wholeLead!.weight);
      chosen.pop();
    }
  } else {
    search(0, 0, 0);
  }
  if (bestReadable.length > 0) best = bestReadable;

  if (best.length === 0) {
    const leadForm = leadSentence && forms(leadSentence).find((f) => f.sentence.words <= limits.maxWords);
    if (leadForm) return [leadForm.sentence];
    const sorted = [...ranked].sort((a, b) => b.score - a.score || a.index - b.index);
    const fitting = sorted.find((s) => s.words <= limits.maxWords && !s.dangling);
    const standalone = sorted.filter((s) => !s.dangling);
    const top = (standalone.length ? standalone : sorted).slice(0, 3);
    best = [fitting ?? top.reduce((a, b) => (b.words < a.words ? b : a))];
  }
  return best.sort((a, b) => a.index - b.index);
}

function opensWithNews(set: readonly RankedSentence[]): boolean {
  const first = set.reduce((a, b) => (b.index < a.index ? b : a));
  return canStateNews(first.text);
}
