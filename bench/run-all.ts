/**
 * Runs every benchmark, one child process each (so peak-memory figures are their own).
 *   npm run bench [-- NAME...]        e.g. npm run bench -- summaries-eval render-throughput
 * The evaluation corpus is ../shared/corpus beside the project, or TIDINGS_CORPUS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.TIDINGS_CORPUS ?? path.resolve(root, '../shared/corpus');

const BENCHES: { name: string; args: string[] }[] = [
  { name: 'feeds-eval', args: [path.join(corpus, 'feeds-dev')] },
  { name: 'pages-eval', args: [path.join(corpus, 'pages-dev')] },
  { name: 'summaries-eval', args: [path.join(corpus, 'bbc-dev')] },
  // What an oracle that knows the references reaches under the news-lead rule: the ceiling of summaries-eval.
  { name: 'summaries-ceiling', args: [path.join(corpus, 'bbc-dev')] },
  { name: 'classify-eval', args: [path.join(corpus, 'bbc-dev')] },
  // Each story once: false merges among real stories, wire copies found, per threshold.
  { name: 'stories-eval', args: [path.join(corpus, 'bbc-dev')] },
  { name: 'content-speed', args: [path.join(corpus, 'bbc-dev')] },
  { name: 'render-throughput', args: [] },
  { name: 'send-throughput', args: [] },
  { name: 'subscribers-sync', args: [] },
  // Reader cadences (issue 26): segments of 20,000 readers on 3 cadences; 3-cadence send rate against one send.
  { name: 'cadence-segments', args: [] },
  // Needs TIDINGS_TEST_PG_URL (prints "skipped" otherwise).
  { name: 'worker-scaling', args: [] },
  // Needs TIDINGS_TEST_PG_URL: SQLite send vs PostgreSQL send + 3 workers (one killed) vs one worker, CLI processes.
  { name: 'send-vs-workers', args: [] },
  // Needs Postfix's smtp-sink and smtp-source (prints "skipped" otherwise): tidings send against the C client.
  { name: 'postfix-sink', args: [] },
  { name: 'hostile-pages', args: [] },
  // A fake model on 127.0.0.1 with a fixed latency: maxConcurrent and the cache (summaries.llm).
  { name: 'llm-summaries', args: [] },
  { name: 'image-proxy', args: [] },
  // Needs TIDINGS_TEST_PG_URL (a PostgreSQL superuser URL; prints "skipped" otherwise).
  { name: 'store-copy', args: [] },
  // Needs `spamassassin` on PATH (prints "skipped" otherwise); see docs/operations.md.
  { name: 'inbox', args: [] },
  // Needs `npm run build` first: it times bin/tidings.js, which runs the compiled dist/bundle/.
  { name: 'cli-startup', args: [] },
];

const wanted = process.argv.slice(2);
const chosen = wanted.length ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
if (wanted.length && chosen.length !== wanted.length) {
  console.error(`unknown benchmark; choose from: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
if (!existsSync(corpus))
  console.error(`note: no corpus at ${corpus}; the corpus benchmarks will fail (set TIDINGS_CORPUS)`);

let failed = 0;
for (const bench of chosen) {
  console.log(`\n=== ${bench.name} ${bench.args.join(' ')}`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'bench', `${bench.name}.ts`), ...bench.args],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) {
    failed += 1;
    console.log(`=== ${bench.name} exited ${run.status ?? run.signal}`);
  }
}
process.exit(failed ? 1 : 0);
