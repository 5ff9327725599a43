/**
 * Subscriber sync throughput and memory: generates a 100,000-row and a 1,000,000-row
 * CSV list (and a 1,000-row one for the process's base footprint), syncs each into a fresh SQLite file in its own child process (so each peak
 * RSS is that run's own), and reports rows/second and peak RSS, the 1M run as a ratio
 * of the 100k run. Bounded memory means the peak barely grows with the list.
 *
 *   npx tsx bench/subscribers-sync.ts [DIR]      (DIR: where to write; default a temp dir)
 */
import { fork } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/store/sqlite/open-database.ts';
import { SqliteSubscriberStore } from '../src/store/sqlite/sqlite-subscriber-store.ts';
import { createSubscriberCatalog } from '../src/subscribers/subscriber-row.ts';
import { syncSubscribers } from '../src/subscribers/sync-subscribers.ts';

const CATEGORIES = ['world', 'technology', 'science', 'business', 'security'];
const NEWSLETTERS = new Map([
  ['daily', CATEGORIES],
  ['weekly', ['business', 'security']],
]);
const ZONES = ['Europe/London', 'Europe/Moscow', 'America/New_York', 'Asia/Tokyo', ''];
const LOCALES = ['en', 'ru', 'de-AT', 'es', ''];

interface RunResult {
  rows: number;
  ms: number;
  maxRssMb: number;
  counts: { added: number; updated: number; unchanged: number; removed: number; skipped: number };
}

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,name,newsletters,categories,locale,timezone,status\n');
  for (let i = 0; i < rows; i++) {
    const newsletters = i % 3 === 0 ? 'daily;weekly' : 'daily';
    const categories = i % 4 === 0 ? 'world|business' : '';
    const line = `reader.${i}@Example.org,Reader ${i},${newsletters},${categories},${LOCALES[i % 5]},${ZONES[i % 5]},${i % 50 === 0 ? 'paused' : 'active'}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Child: one sync, then report time and this process's peak RSS. */
async function child(csv: string, dbFile: string): Promise<void> {
  const db = openDatabase(dbFile);
  const store = new SqliteSubscriberStore(db);
  const started = performance.now();
  const report = await syncSubscribers(store, [csv], createSubscriberCatalog(NEWSLETTERS, CATEGORIES), {
    now: new Date('2025-03-01T08:00:00Z'),
  });
  const ms = performance.now() - started;
  db.close();
  if (!report.applied)
    throw new Error(
      `sync refused: ${report.errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ')}`,
    );
  const result: RunResult = {
    rows: report.rows,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    counts: {
      added: report.added,
      updated: report.updated,
      unchanged: report.unchanged,
      removed: report.removed,
      skipped: report.skipped,
    },
  };
  process.send!(result);
}

function runChild(csv: string, dbFile: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', csv, dbFile], { stdio: 'inherit' });
    let result: RunResult | null = null;
    proc.on('message', (message) => {
      result = message as RunResult;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => (result ? resolve(result) : reject(new Error(`child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const dir = given ? path.resolve(given) : mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-subscribers-'));
  mkdirSync(dir, { recursive: true });
  const results: { rows: number; result: RunResult; csvMb: number }[] = [];
  try {
    // 1,000 rows: the process's own footprint (Node, tsx, zod, SQLite) to read the others against.
    for (const rows of [1_000, 100_000, 1_000_000]) {
      const csv = path.join(dir, `subscribers-${rows}.csv`);
      const dbFile = path.join(dir, `sync-${rows}.db`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
      await writeCsv(csv, rows);
      const result = await runChild(csv, dbFile);
      results.push({ rows, result, csvMb: statSync(csv).size / 1024 ** 2 });
    }
  } finally {
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`subscriber sync (Node ${process.version}, ${os.cpus().length} CPUs)`);
  for (const { rows, result, csvMb } of results) {
    console.log(
      `${String(rows).padStart(9)} rows (${csvMb.toFixed(0)} MB CSV): ${(result.ms / 1000).toFixed(2)} s, ` +
        `${Math.round(result.rows / (result.ms / 1000)).toLocaleString('en')} rows/s, peak RSS ${result.maxRssMb.toFixed(0)} MB, ` +
        `added ${result.counts.added}`,
    );
  }
  const [base, small, large] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
  console.log(
    `1M vs 100k: rows ${(large.rows / small.rows).toFixed(0)}x, peak RSS ${(large.result.maxRssMb / small.result.maxRssMb).toFixed(2)}x, ` +
      `throughput ${(large.result.rows / large.result.ms / (small.result.rows / small.result.ms)).toFixed(2)}x; ` +
      `peak RSS above the 1k run: 100k +${(small.result.maxRssMb - base.result.maxRssMb).toFixed(0)} MB, 1M +${(large.result.maxRssMb - base.result.maxRssMb).toFixed(0)} MB`,
  );
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
