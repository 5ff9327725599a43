import { lightStem } from './light-stem.ts';
import { ENGLISH_STOP_WORDS, wordTokens } from './text-tokens.ts';

/**
 * The terms the classifier counts in an article: stemmed content words (stop words,
 * one-letter tokens and bare numbers dropped) and the pairs of neighbouring content
 * words ("interest rate", "prime minister"), which carry much of a news topic.
 * Pairs do not cross a sentence or paragraph end, and the title's terms count
 * `titleWeight` times, since editors and feeds put the topic there.
 */
export interface TermCountOptions {
  /** How many times a title term counts. Default 2. */
  titleWeight?: number;
  /** Weight of a pair of neighbouring content words against a single word; 0 (the default) leaves pairs out. */
  bigramWeight?: number;
  /** Fold inflections (src/content/light-stem.ts). Default true. */
  stem?: boolean;
}

const CLAUSE_END = /[.!?;:\n]+/;

/** Content-word stems of a text, one array per sentence-like run. */
export function contentRuns(text: string, stem = true): string[][] {
  const runs: string[][] = [];
  for (const part of text.split(CLAUSE_END)) {
    const run: string[] = [];
    for (const token of wordTokens(part)) {
      if (token.length < 2 || ENGLISH_STOP_WORDS.has(token) || /^\d+$/.test(token)) continue;
      run.push(stem ? lightStem(token) : token);
    }
    if (run.length) runs.push(run);
  }
  return runs;
}

function addRuns(counts: Map<string, number>, runs: string[][], weight: number, bigramWeight: number): void {
  for (const run of runs) {
    for (let i = 0; i < run.length; i++) {
      counts.set(run[i]!, (counts.get(run[i]!) ?? 0) + weight);
      if (bigramWeight > 0 && i > 0) {
        const pair = `${run[i - 1]} ${run[i]}`;
        counts.set(pair, (counts.get(pair) ?? 0) + weight * bigramWeight);
      }
    }
  }
}

/** Term counts of an article (terms are stems, or two stems joined by a space). */
export function termCounts(
  article: { title: string; text: string },
  options: TermCountOptions = {},
): Map<string, number> {
  const counts = new Map<string, number>();
  const bigramWeight = options.bigramWeight ?? 0;
  const stem = options.stem ?? true;
  addRuns(counts, contentRuns(article.title, stem), options.titleWeight ?? 2, bigramWeight);
  addRuns(counts, contentRuns(article.text, stem), 1, bigramWeight);
  return counts;
}
