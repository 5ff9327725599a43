/**
 * Evaluates page extraction against pages with Readability's expected output.
 *   npx tsx bench/pages-eval.ts /work/shared/corpus/pages-dev
 * Each DIR/<name>/ holds source.html, expected.html and expected-metadata.json.
 * Reports title accuracy (exact after whitespace normalization), mean text token F1
 * (lower-case word tokens of htmlToText(expected.html) vs the extracted text) and
 * pages per second, next to a baseline (the whole page's text, no extraction).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { htmlToText, collapseWhitespace } from '../src/ingest/html-to-text.ts';
import { extractPage } from '../src/ingest/page/extract-page.ts';

// Readability's own test harness serves every page from this URL.
const PAGE_URL = 'http://fakehost/test/page.html';

function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function tokenF1(expected: string[], actual: string[]): number {
  if (expected.length === 0 && actual.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of actual) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / actual.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  console.error(
    'usage: npx tsx bench/pages-eval.ts DIR  (DIR/<name>/source.html, expected.html, expected-metadata.json)',
  );
  process.exit(2);
}

interface Page {
  name: string;
  source: string;
  expectedText: string;
  expectedTitle: string;
}
const pages: Page[] = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'source.html')))
  .map((entry) => entry.name)
  .sort()
  .map((name) => ({
    name,
    source: readFileSync(join(dir, name, 'source.html'), 'utf8'),
    expectedText: htmlToText(readFileSync(join(dir, name, 'expected.html'), 'utf8')),
    expectedTitle: String(JSON.parse(readFileSync(join(dir, name, 'expected-metadata.json'), 'utf8')).title ?? ''),
  }));

let titlesRight = 0;
let f1Sum = 0;
let baselineF1Sum = 0;
for (const page of pages) {
  const draft = extractPage(page.source, { url: PAGE_URL });
  const titleOk = collapseWhitespace(draft.title) === collapseWhitespace(page.expectedTitle);
  const f1 = tokenF1(tokens(page.expectedText), tokens(draft.text));
  const baselineF1 = tokenF1(tokens(page.expectedText), tokens(htmlToText(page.source)));
  titlesRight += titleOk ? 1 : 0;
  f1Sum += f1;
  baselineF1Sum += baselineF1;
  console.log(
    `${page.name.padEnd(14)} title ${titleOk ? 'ok ' : 'BAD'} F1 ${f1.toFixed(3)} (baseline ${baselineF1.toFixed(3)})` +
      (titleOk ? '' : `  got ${JSON.stringify(draft.title)} want ${JSON.stringify(page.expectedTitle)}`),
  );
}

// Throughput: repeat the whole set until at least two seconds have passed.
function pagesPerSecond(run: (page: Page) => unknown): number {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < 2000)
    for (const page of pages) {
      run(page);
      done += 1;
    }
  return done / ((performance.now() - start) / 1000);
}
const extractRate = pagesPerSecond((page) => extractPage(page.source, { url: PAGE_URL }));
const baselineRate = pagesPerSecond((page) => htmlToText(page.source));

const n = pages.length || 1;
console.log('');
console.log(`pages: ${pages.length}`);
console.log(`title accuracy: ${((100 * titlesRight) / n).toFixed(1)}% (${titlesRight}/${pages.length}; floor 90%)`);
console.log(
  `mean text token F1: ${(f1Sum / n).toFixed(4)} (floor 0.95; whole-page baseline ${(baselineF1Sum / n).toFixed(4)})`,
);
console.log(
  `pages/second: ${extractRate.toFixed(1)} (whole-page htmlToText baseline ${baselineRate.toFixed(1)}, ratio ${(extractRate / baselineRate).toFixed(3)})`,
);
const pass = titlesRight / n >= 0.9 && f1Sum / n >= 0.95;
console.log(pass ? 'floors: met' : 'floors: NOT met');
process.exitCode = pass ? 0 : 1;
