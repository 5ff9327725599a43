/**
 * Single-threaded throughput of summarize() and of CategoryModel.classify() on
 * ~800-word articles, next to a trivial baseline measured in the same run
 * (splitSentences() alone, the least any summarizer must do).
 *
 *   npx tsx bench/content-speed.ts [DIR]   (default /work/shared/corpus/bbc-dev)
 *
 * The 800-word articles are built from the corpus: an article followed by the next
 * articles of the same category, paragraph by paragraph, until 800 words.
 * Floor (issue 3): 200 articles per second for each.
 */
import { readLabelledCorpus } from './eval/read-labelled-corpus.ts';
import { splitSentences } from '../src/content/split-sentences.ts';
import { summarize, DEFAULT_SUMMARIZE_OPTIONS } from '../src/content/summarize.ts';
import { trainClassifier } from '../src/content/category-model.ts';
import { countWords } from '../src/content/text-tokens.ts';

const dir = process.argv[2] ?? '/work/shared/corpus/bbc-dev';
const corpus = readLabelledCorpus(dir);
const TARGET_WORDS = 800;

const articles = corpus.map((first, i) => {
  const paragraphs: string[] = [];
  let words = 0;
  for (let j = i; words < TARGET_WORDS && j < i + corpus.length; j++) {
    const next = corpus[j % corpus.length]!;
    if (next.category !== first.category) continue;
    for (const paragraph of next.text.split(/\n\s*\n/)) {
      if (words >= TARGET_WORDS) break;
      paragraphs.push(paragraph);
      words += countWords(paragraph);
    }
  }
  return { title: first.title, text: paragraphs.join('\n\n'), description: null, language: 'en' };
});
const meanWords = articles.reduce((s, a) => s + countWords(a.text), 0) / articles.length;
const model = trainClassifier(corpus.map((a) => ({ title: a.title, text: a.text, categories: [a.category] })));

function perSecond(label: string, work: (a: (typeof articles)[number]) => unknown): number {
  for (const a of articles.slice(0, 50)) work(a); // warm-up (JIT)
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < 2000) {
    for (const a of articles) work(a);
    done += articles.length;
  }
  const rate = done / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(22)} ${rate.toFixed(0).padStart(7)} articles/s`);
  return rate;
}

console.log(`${articles.length} articles of ${meanWords.toFixed(0)} words on average; one thread`);
const baseline = perSecond('splitSentences only', (a) => splitSentences(a.text));
const summaries = perSecond('summarize', (a) => summarize(a, DEFAULT_SUMMARIZE_OPTIONS));
const classes = perSecond('classify', (a) => model.classify(a));
const trainingSet = Array.from({ length: 3000 }, (_, i) => corpus[i % corpus.length]!).map((a) => ({
  title: a.title,
  text: a.text,
  categories: [a.category],
}));
const trainStarted = performance.now();
trainClassifier(trainingSet);
console.log(`training on ${trainingSet.length} articles: ${(performance.now() - trainStarted).toFixed(0)} ms`);
for (const [name, rate] of [
  ['summarize', summaries],
  ['classify', classes],
] as const) {
  console.log(
    `${name}: ${(rate / 200).toFixed(1)}x the 200/s floor, ${(rate / baseline).toFixed(2)}x the split-only baseline -> ${rate >= 200 ? 'PASS' : 'FAIL'}`,
  );
}
