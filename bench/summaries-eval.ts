/**
 * ROUGE of the extractive summarizer against the BBC News Summary references, next to a
 * length-matched lead baseline computed in the same run: for each article, the lead is
 * the article's first words (title excluded) cut to exactly as many words as our summary.
 *
 *   npx tsx bench/summaries-eval.ts [DIR]    (default /work/shared/corpus/bbc-dev)
 *
 * Floor (issue 3): our ROUGE-2 F1 >= 1.25 x the lead's, at a mean length of 40-60 words.
 */
import { readLabelledCorpus } from '../src/content/eval/read-labelled-corpus.ts';
import { rouge, type RougeScores } from '../src/content/eval/rouge.ts';
import { DEFAULT_SUMMARIZE_OPTIONS, SUMMARIZER_VERSION, summarize } from '../src/content/summarize.ts';
import { countWords } from '../src/content/text-tokens.ts';

const dir = process.argv[2] ?? '/work/shared/corpus/bbc-dev';
const articles = readLabelledCorpus(dir).filter((a) => a.reference);

const ours: RougeScores[] = [];
const lead: RougeScores[] = [];
const methods = new Map<string, number>();
let totalWords = 0;
let overLimit = 0;
for (const article of articles) {
  const { summary, method } = summarize({ title: article.title, text: article.text, description: null, language: 'en' });
  methods.set(method, (methods.get(method) ?? 0) + 1);
  const words = countWords(summary);
  totalWords += words;
  if (words > DEFAULT_SUMMARIZE_OPTIONS.maxWords) overLimit += 1;
  const leadText = article.text.split(/\s+/).filter(Boolean).slice(0, words).join(' ');
  ours.push(rouge(summary, article.reference!));
  lead.push(rouge(leadText, article.reference!));
}

const mean = (rows: RougeScores[], key: keyof RougeScores) => rows.reduce((s, r) => s + r[key], 0) / rows.length;
const pct = (x: number) => (100 * x).toFixed(2);
console.log(`corpus ${dir}: ${articles.length} articles; summarizer ${SUMMARIZER_VERSION}; options ${JSON.stringify(DEFAULT_SUMMARIZE_OPTIONS)}`);
console.log(`methods: ${[...methods].map(([m, n]) => `${m}=${n}`).join(' ')}; over maxWords: ${overLimit}`);
console.log(`mean summary length: ${(totalWords / articles.length).toFixed(1)} words`);
console.log('                  ROUGE-1  ROUGE-2  ROUGE-L  (F1, %)');
for (const [name, rows] of [['extractive', ours], ['lead (matched)', lead]] as const) {
  console.log(`${name.padEnd(16)}  ${pct(mean(rows, 'rouge1')).padStart(7)}  ${pct(mean(rows, 'rouge2')).padStart(7)}  ${pct(mean(rows, 'rougeL')).padStart(7)}`);
}
const ratio = mean(ours, 'rouge2') / mean(lead, 'rouge2');
const meanWords = totalWords / articles.length;
const pass = ratio >= 1.25 && meanWords >= 40 && meanWords <= 60;
console.log(`ROUGE-2 ratio to lead: ${ratio.toFixed(3)} (floor 1.25, length 40-60) -> ${pass ? 'PASS' : 'FAIL'}`);
