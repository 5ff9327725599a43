/**
 * How fast the CLI answers, as ratios to a bare `node -e 0` measured in the same run:
 *   npx tsx bench/cli-startup.ts [RUNS]      (default 10 runs per case)
 * Cases: `node -e 0`, `tidings --help`, `tidings edition list` on a small temporary
 * config and store (both through bin/tidings.js, i.e. the compiled dist/bundle/), and for
 * reference the same `--help` run from the sources through tsx. Runs are interleaved
 * so that load from other processes spreads over every case; each figure is a median
 * of wall time and of CPU time (user + system, reported by the child itself on exit).
 * Goal: each tidings case at most 3x `node -e 0`. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 10);
const bin = path.join(root, 'bin', 'tidings.js');
const entry = path.join(root, 'dist', 'bundle', 'entry.js');
const GOAL = 3;

if (!existsSync(entry)) {
  console.error(`no compiled CLI at ${entry}: run \`npm run build\` first`);
  process.exit(2);
}
const newestSource = newestMtime(path.join(root, 'src'));
if (newestSource > statSync(entry).mtimeMs)
  console.error('warning: src/ changed after the last build; run `npm run build` to measure the current code');

const work = mkdtempSync(path.join(os.tmpdir(), 'tidings-startup-'));
// Each child reports its own CPU time on exit, so a busy machine inflates wall time but not this.
const reporter = path.join(work, 'report-cpu.mjs');
writeFileSync(
  reporter,
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\n@@cpu ${u.user + u.system}\\n`); });\n",
);
writeFileSync(
  path.join(work, 'tidings.config.yaml'),
  `store: { path: data/tidings.db }
categories:
  local: { title: Local }
sources:
  - { name: notes, type: folder, path: notes }
newsletters:
  - { id: daily, title: Daily, categories: [local], from: news@example.org }
`,
);

interface Case {
  name: string;
  args: string[];
  runs: number;
}
const importReporter = ['--import', pathToFileURL(reporter).href];
const cases: Case[] = [
  { name: 'node -e 0', args: [...importReporter, '-e', '0'], runs },
  { name: 'tidings --help', args: [...importReporter, bin, '--help'], runs },
  { name: 'tidings edition list', args: [...importReporter, bin, 'edition', 'list'], runs },
  // The way every command started before dist/: tsx compiling the sources at each start.
  {
    name: 'tsx src: tidings --help',
    args: [...importReporter, '--import', import.meta.resolve('tsx'), path.join(root, 'src/cli/entry.ts'), '--help'],
    runs: Math.min(runs, 5),
  },
];

function runOnce(testCase: Case): { wallMs: number; cpuMs: number } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, testCase.args, {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${testCase.name} exited ${child.status}: ${child.stderr}`);
  const cpu = /@@cpu (\d+)/.exec(child.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) / 1000 : Number.NaN };
}

try {
  // The first run creates the store (migrations); warm the file cache for every case once.
  for (const testCase of cases) runOnce(testCase);
  const samples = new Map(cases.map((c) => [c.name, { wall: [] as number[], cpu: [] as number[] }]));
  for (let i = 0; i < runs; i++) {
    for (const testCase of cases) {
      if (i >= testCase.runs) continue;
      const { wallMs, cpuMs } = runOnce(testCase);
      samples.get(testCase.name)!.wall.push(wallMs);
      samples.get(testCase.name)!.cpu.push(cpuMs);
    }
  }
  const base = samples.get('node -e 0')!;
  const baseWall = median(base.wall);
  const baseCpu = median(base.cpu);
  console.log(
    `CLI startup, medians of ${runs} interleaved runs (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  console.log(
    `${'case'.padEnd(26)} ${'wall ms'.padStart(8)} ${'× node'.padStart(7)} ${'cpu ms'.padStart(8)} ${'× node'.padStart(7)}`,
  );
  let failed = false;
  for (const testCase of cases) {
    const s = samples.get(testCase.name)!;
    const wall = median(s.wall);
    const cpu = median(s.cpu);
    const ratio = wall / baseWall;
    const judged = testCase.name.startsWith('tidings');
    if (judged && ratio > GOAL) failed = true;
    console.log(
      `${testCase.name.padEnd(26)} ${wall.toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(7)} ${cpu.toFixed(0).padStart(8)} ${(cpu / baseCpu).toFixed(2).padStart(7)}` +
        (judged ? (ratio > GOAL ? `  over the goal of ${GOAL}×` : '  ok') : ''),
    );
  }
  if (failed) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}
