/**
 * How high the ROUGE-2 ratio to the length-matched lead can go at all, whatever the
 * ranking: an oracle that knows each reference picks, after the news lead (whole, as
 * summarize() opens with it), the reference's own sentences that fill the word budget
 * best (any number of them, back-reference rule ignored), so every bigram after the lead
 * is in the reference. The same oracle without the lead rule is printed beside it.
 * Nothing is fitted here; both parts are only measured.
 *
 *   npx tsx bench/summaries-ceiling.ts [DIR]    (default /work/shared/corpus/bbc-dev)
 *
 * The references of this corpus are whole article sentences (about 44% of them), so a
 * summary's ROUGE-2 against them is the share of its words in reference sentences. The
 * lead baseline shares our first sentence whenever the lead rule puts the article's
 * first sentence first, so only the words after it can beat the baseline.
 */
import { articleSentences, type CandidateSentence } from '../src/content/article-sentences.ts';
import { leansOnPrevious } from '../src/content/back-reference.ts';
import { splitHeldOut } from './eval/held-out.ts';
import { readLabelledCorpus, type LabelledArticle } from './eval/read-labelled-corpus.ts';
import { rouge } from './eval/rouge.ts';
import { newsLeadIndex } from '../src/content/lead-sentence.ts';
import { countWords } from '../src/content/text-tokens.ts';

const dir = process.argv[2] ?? '/work/shared/corpus/bbc-dev';
const { tuning, heldOut } = splitHeldOut(readLabelledCorpus(dir).filter((a) => a.reference));
const letters = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The subset of `sentences` with the most words within `budget` (subset sum). */
function fullest(sentences: readonly CandidateSentence[], budget: number): CandidateSentence[] {
  const best = new Map<number, CandidateSentence[]>([[0, []]]);
  for (const s of sentences) {
    for (const [words, set] of [...best]) {
      const total = words + s.words;
      if (total <= budget && !best.has(total)) best.set(total, [...set, s]);
    }
  }
  return best.get(Math.max(...best.keys()))!;
}

function ceiling(articles: readonly LabelledArticle[], maxWords: number, leadRule: boolean): number {
  let ours = 0;
  let lead = 0;
  for (const article of articles) {
    const sentences = articleSentences(article.text);
    const reference = letters(article.reference!);
    const at = leadRule
      ? newsLeadIndex(
          sentences.map((s) => s.text),
          leansOnPrevious,
        )
      : -1;
    const opening = at >= 0 && sentences[at]!.words <= maxWords ? [sentences[at]!] : [];
    const rest = sentences.filter((s) => s.index !== at && reference.includes(letters(s.text)));
    const used = opening.reduce((n, s) => n + s.words, 0);
    const chosen = [...opening, ...fullest(rest, maxWords - used)].sort((a, b) => a.index - b.index);
    const summary = chosen.map((s) => s.text).join(' ');
    ours += rouge(summary, article.reference!).rouge2;
    lead += rouge(
      article.text.split(/\s+/).filter(Boolean).slice(0, countWords(summary)).join(' '),
      article.reference!,
    ).rouge2;
  }
  return ours / lead;
}

console.log('oracle ROUGE-2 F1 ratio to the length-matched lead   tuning  held-out');
for (const maxWords of [40, 50, 60]) {
  for (const leadRule of [true, false]) {
    const label = `maxWords ${maxWords}, ${leadRule ? 'news lead first' : 'no lead rule   '}`;
    console.log(
      `${label.padEnd(50)}  ${ceiling(tuning, maxWords, leadRule).toFixed(3)}   ${ceiling(heldOut, maxWords, leadRule).toFixed(3)}`,
    );
  }
}
