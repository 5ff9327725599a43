import { articleSentences, type CandidateSentence } from './article-sentences.ts';
import { leansOnPrevious } from './back-reference.ts';
import { compressSentence } from './compress-sentence.ts';
import { isEnglishArticle } from './detect-language.ts';
import { newsLeadIndex } from './lead-sentence.ts';
import { DEFAULT_RANKING, rankSentences, type RankingTuning } from './rank-sentences.ts';
import { selectSentences, type SelectionLimits } from './select-sentences.ts';
import { isUsableDescription } from './source-description.ts';

/**
 * Offline summaries for articles, in three ways (see docs/summaries.md):
 *   - 'source': the source's own description, when it is a real summary (the rule is
 *     in source-description.ts: not junk, not truncated, not a copy of the lead,
 *     12..1.3×maxWords words, same language as the article);
 *   - 'extractive': English articles: the news lead first (lead-sentence.ts: the lead
 *     sentence unless it is a dateline, a question, a bare quote or a teaser), then the
 *     best-ranked sentences (rank-sentences.ts, select-sentences.ts), never one that
 *     leans on a sentence left out (back-reference.ts), minSentences..maxSentences of them
 *     within maxWords, in article order; headings, bylines, credits and calls to action
 *     never qualify. Any of them, the lead too, may be used in its compressed form
 *     (compress-sentence.ts: without a parenthetical aside, an opening "However,", a
 *     who/which clause, an age, a closing participle clause or comparison, "on
 *     Tuesday" after "said"; never without its attribution) when that lets a better
 *     set fit the budget; its score and whether it leans on the sentence before are
 *     those of the whole sentence;
 *   - 'lead': other languages, or text too short to rank: the article's first
 *     sentences up to maxSentences, cut at a sentence boundary within maxWords.
 * If no single whole sentence fits in maxWords, the shortest of the best candidates is
 * used whole: summaries never end mid-sentence.
 *
 * Bump SUMMARIZER_VERSION whenever the output for the same input can change: the store
 * caches summaries per article content hash and this version.
 */
export const SUMMARIZER_VERSION = 'extractive-5';

export interface SummarizeInput {
  title: string;
  text: string;
  description: string | null;
  language: string | null;
}

export interface SummarizeOptions {
  maxWords: number;
  minSentences: number;
  maxSentences: number;
  preferSourceDescription: boolean;
}

export type SummaryMethod = 'extractive' | 'source' | 'lead';

export interface SummaryResult {
  summary: string;
  method: SummaryMethod;
}

export const DEFAULT_SUMMARIZE_OPTIONS: SummarizeOptions = {
  maxWords: 60,
  minSentences: 2,
  maxSentences: 3,
  preferSourceDescription: true,
};

export function summarize(
  article: SummarizeInput,
  options: SummarizeOptions = DEFAULT_SUMMARIZE_OPTIONS,
  tuning: RankingTuning = DEFAULT_RANKING,
): SummaryResult {
  if (options.preferSourceDescription && isUsableDescription(article.description, article, options.maxWords)) {
    return { summary: article.description.trim().replace(/\s+/g, ' '), method: 'source' };
  }
  const sentences = articleSentences(article.text);
  if (!isEnglishArticle(article.language, article.text) || sentences.length <= options.minSentences) {
    return { summary: joinSentences(leadSentences(sentences, options)), method: 'lead' };
  }
  const lead = newsLeadIndex(
    sentences.map((s) => s.text),
    leansOnPrevious,
  );
  const ranked = rankSentences(sentences, article.title, tuning);
  const chosen = selectSentences(ranked, options, tuning, lead >= 0 ? lead : undefined, compressSentence);
  return { summary: joinSentences(chosen), method: 'extractive' };
}

/** The first sentences, in order, while they fit in maxWords; never cut mid-sentence. */
export function leadSentences(sentences: readonly CandidateSentence[], limits: SelectionLimits): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  let words = 0;
  for (const sentence of sentences) {
    if (out.length >= limits.maxSentences || words + sentence.words > limits.maxWords) break;
    out.push(sentence);
    words += sentence.words;
  }
  if (out.length === 0 && sentences.length > 0) {
    // Nothing fits: the shortest of the first three sentences, whole.
    out.push(sentences.slice(0, 3).reduce((a, b) => (b.words < a.words ? b : a)));
  }
  return out;
}

function joinSentences(sentences: readonly CandidateSentence[]): string {
  return sentences.map((s) => s.text).join(' ');
}
