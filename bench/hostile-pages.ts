/**
 * Hostile pages through the real page path (decode → detect → bounding pre-pass →
 * Readability in the budgeted worker), one child process per case so each peak RSS
 * is its own. The baseline is a plain 10 MB page of flat paragraphs, measured in the
 * same run; every figure is also given as a ratio to it.
 *   npx tsx bench/hostile-pages.ts            all cases
 *   npx tsx bench/hostile-pages.ts --case X   one case, prints one JSON line (used by the parent)
 * BENCH_PARSE='{"maxMemory":"64MB"}' overrides keys of the `parse` configuration (default budget otherwise).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/load-config.ts';
import { describeError, isTidingsError } from '../src/core/errors.ts';
import { extractPage } from '../src/ingest/page/extract-page.ts';
import { createPageExtractor } from '../src/ingest/page/page-extractor.ts';
import { parseResource } from '../src/ingest/parse-input.ts';

const TEN_MB = 10 * 1024 * 1024;

const PARAGRAPH = (i: number) =>
  `<p>Paragraph ${i} of the long report, where the harbour board explains the winter timetable, the new berths and what the ferry operators said.</p>\n`;

/** Each case builds its page; sizes are close to the fetch limit (10 MB) where it matters. */
const CASES: Record<string, () => string> = {
  // Baseline: a long but ordinary article.
  'flat-10mb': () => page(fill(TEN_MB, PARAGRAPH)),
  // An ordinary long article: 200 KB, for scale.
  'article-200kb': () => page(fill(200 * 1024, PARAGRAPH)),
  // 10 MB of text in 2,500 large paragraphs: big, but few elements.
  'text-10mb': () => page(fill(TEN_MB, (i) => `<p>${PARAGRAPH(i).slice(3, -5).repeat(28)}</p>\n`)),
  // 10 MB of small nested blocks: far more elements than any article.
  'blocks-10mb': () =>
    page(fill(TEN_MB, (i) => `<div class="c"><div><span>w${i}</span> <a href="/x/${i}">link</a></div></div>\n`)),
  // 10 MB of one nesting: about two million levels.
  'nested-10mb': () => page(`${'<div>'.repeat(TEN_MB / 11)}<p>Deep text.</p>${'</div>'.repeat(TEN_MB / 11)}`),
  // The issue's small page: 22 KB, 2,000 nested <div>s (140 s before the budget).
  'nested-2000': () =>
    page(
      `${PARAGRAPH(0).repeat(10)}${'<div>'.repeat(2000)}<p>Deep text that ends the story.</p>${'</div>'.repeat(2000)}`,
    ),
};

function fill(size: number, part: (i: number) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const piece = part(i);
    parts.push(piece);
    length += piece.length;
  }
  return parts.join('');
}

function page(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour report</title></head><body><article><h1>Harbour report</h1>${body}</article></body></html>`;
}

interface CaseResult {
  name: string;
  bytes: number;
  ms: number;
  peakRssMb: number;
  outcome: string;
}

/** The path before the budget, for scale: Readability over linkedom on the main thread. */
async function runUnbudgeted(name: string): Promise<CaseResult> {
  const html = CASES[name.replace(/-unbudgeted$/, '')]!();
  const started = performance.now();
  const draft = extractPage(html, { url: `https://bench.example/${name}` });
  const ms = performance.now() - started;
  return {
    name,
    bytes: Buffer.byteLength(html),
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    outcome: `parsed, ${draft.text.length} characters of text`,
  };
}

async function runCase(name: string): Promise<CaseResult> {
  if (name.endsWith('-unbudgeted')) return runUnbudgeted(name);
  const html = CASES[name]!();
  const bytes = Buffer.from(html, 'utf8');
  const config = parseConfig(
    process.env.BENCH_PARSE ? { parse: JSON.parse(process.env.BENCH_PARSE) } : {},
    {},
    'bench.yaml',
  );
  const pages = createPageExtractor(config.parse);
  // Start the worker on a tiny page first: the figure is the hostile page's own cost.
  const warmStarted = performance.now();
  await pages.extract('<html><head><title>Warm</title></head><body><p>Warm-up page.</p></body></html>', {
    url: null,
    name: 'warm-up',
  });
  const workerStartMs = performance.now() - warmStarted;
  const started = performance.now();
  let outcome: string;
  try {
    const parsed = await parseResource(
      {
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
        contentType: 'text/html',
        location: `https://bench.example/${name}`,
        isUrl: true,
      },
      { expect: 'page', pages },
    );
    const draft = parsed.drafts[0]!;
    const changes = parsed.warnings.map((warning) =>
      warning.includes('parse.maxDepth')
        ? 'flattened'
        : warning.includes('parse.maxText')
          ? 'cut at parse.maxText'
          : 'warning',
    );
    outcome = `parsed, ${draft.text.length} characters of text${changes.length ? ` (${changes.join(', ')})` : ''}`;
  } catch (error) {
    outcome = `failed ${isTidingsError(error) ? error.code : 'UNEXPECTED'}: ${describeError(error).replace(/^\S+: /, '')}`;
  }
  const ms = performance.now() - started;
  await pages.close();
  // maxRSS covers the worker thread too: it lives in this process.
  return {
    name,
    bytes: bytes.length,
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    outcome: `${outcome}; worker start ${(workerStartMs / 1000).toFixed(2)} s`,
  };
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex >= 0) {
  console.log(JSON.stringify(await runCase(process.argv[caseIndex + 1]!)));
} else {
  const script = fileURLToPath(import.meta.url);
  const root = path.resolve(path.dirname(script), '..');
  const results: CaseResult[] = [];
  for (const name of [...Object.keys(CASES), 'flat-10mb-unbudgeted']) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--case', name], {
      cwd: root,
      encoding: 'utf8',
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      console.error(`${name}: exited ${child.status ?? child.signal}\n${child.stderr}`);
      process.exitCode = 1;
      continue;
    }
    results.push(JSON.parse(line) as CaseResult);
  }
  const baseline = results.find((result) => result.name === 'flat-10mb');
  console.log('case                  size      time      peak RSS   vs flat-10mb (time, RSS)  outcome');
  for (const result of results) {
    const ratio = baseline
      ? `${(result.ms / baseline.ms).toFixed(2)}×, ${(result.peakRssMb / baseline.peakRssMb).toFixed(2)}×`
      : '-';
    console.log(
      `${result.name.padEnd(20)}  ${(result.bytes / 2 ** 20).toFixed(2).padStart(5)} MB  ${(result.ms / 1000).toFixed(2).padStart(6)} s  ${result.peakRssMb.toFixed(0).padStart(5)} MB   ${ratio.padEnd(24)}  ${result.outcome}`,
    );
  }
  const over = results.filter((result) => result.peakRssMb >= 300 && !result.name.endsWith('-unbudgeted'));
  console.log(
    over.length ? `over 300 MB: ${over.map((r) => r.name).join(', ')}` : 'every case stayed under 300 MB peak RSS',
  );
}
