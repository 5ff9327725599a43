import { DEFAULT_RANKING, type RankedSentence, type RankingTuning } from './rank-sentences.ts';

/**
 * Chooses the summary's sentences: the set of `minSentences`..`maxSentences` whole
 * sentences within `maxWords` whose total score is highest, among the best-ranked
 * candidates, skipping pairs that repeat each other (content-word overlap above
 * `maxOverlap`, an MMR-style redundancy cut). Returned in article order.
 *
 * When no set of `minSentences` fits, the best single sentence that fits is used.
 * When no sentence fits at all, the shortest of the best-ranked sentences is used
 * whole: a summary never ends mid-sentence, so in that one case it exceeds `maxWords`.
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

export function selectSentences(
  ranked: readonly RankedSentence[],
  limits: SelectionLimits,
  tuning: RankingTuning = DEFAULT_RANKING,
): RankedSentence[] {
  if (ranked.length === 0) return [];
  // A sentence with an unbalanced quote mark is a piece of a longer quotation: it reads
  // badly on its own, so it is only used when nothing else is left.
  const balanced = ranked.filter((s) => (s.text.match(/"/g)?.length ?? 0) % 2 === 0);
  const pool = [...(balanced.length >= limits.minSentences ? balanced : ranked)].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, POOL_SIZE);
  const maxSentences = Math.max(1, limits.maxSentences);
  const minSentences = Math.min(Math.max(1, limits.minSentences), maxSentences);

  // The best set, and the best whose first sentence (in article order) does not lean on
  // a sentence the reader never sees; the second wins whenever there is one.
  let best: RankedSentence[] = [];
  let bestScore = -Infinity;
  let bestReadable: RankedSentence[] = [];
  let bestReadableScore = -Infinity;
  const chosen: RankedSentence[] = [];
  const opensCleanly = () => {
    const first = chosen.reduce((a, b) => (b.index < a.index ? b : a));
    // A bare quotation is a poor first line too: who says it comes only after it.
    return !first.dangling && !/^["“‘«]/.test(first.text);
  };
  const search = (from: number, words: number, score: number) => {
    if (chosen.length >= minSentences && score > bestScore) {
      bestScore = score;
      best = [...chosen];
    }
    if (chosen.length >= minSentences && score > bestReadableScore && opensCleanly()) {
      bestReadableScore = score;
      bestReadable = [...chosen];
    }
    if (chosen.length === maxSentences) return;
    for (let i = from; i < pool.length; i++) {
      const candidate = pool[i]!;
      if (words + candidate.words > limits.maxWords) continue;
      if (chosen.some((c) => overlap(c, candidate) > tuning.maxOverlap)) continue;
      chosen.push(candidate);
      search(i + 1, words + candidate.words, score + candidate.score * candidate.words ** tuning.lengthExponent);
      chosen.pop();
    }
  };
  search(0, 0, 0);
  if (bestReadable.length > 0) best = bestReadable;

  if (best.length === 0) {
    const fitting = pool.find((s) => s.words <= limits.maxWords);
    const top = pool.slice(0, 3);
    best = [fitting ?? top.reduce((a, b) => (b.words < a.words ? b : a))];
  }
  return best.sort((a, b) => a.index - b.index);
}
