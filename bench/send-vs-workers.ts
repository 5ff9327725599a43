/**
 * Workers against one process, side by side in one run, as an operator runs them: the
 * compiled CLI (bin/tidings.js) in separate processes, one SMTP sink (bench/send-sink.ts),
 * the same 3,000 readers and 50 segments (bench/send-workspace.ts).
 *
 *   TIDINGS_TEST_PG_URL=postgres://… npx tsx bench/send-vs-workers.ts [--subscribers 3000] [--workers 3] [--no-build]
 *     [--baseline OTHER/bin/tidings.js] [--trace]
 *
 * 1. SQLite: one `tidings send`, timed from its start to its exit.
 * 2. PostgreSQL: `--workers` long-running `tidings worker` processes (started first, as
 *    daemons are), then one `tidings send`; one worker is killed with SIGKILL once a third
 *    of the list is at the sink. Timed from the send's start until the send has exited and
 *    no row is pending or in flight at a live process (the killed worker's in-flight rows
 *    stay ambiguous, as they must; its leased rows go to the others).
 * 3. PostgreSQL, one worker alone: every reader queued (pending), one `tidings worker
 *    --until-idle`, timed from its start to its exit.
 * With `--baseline`, phases 2 and 3 run first with that build, then with this one: a
 * change compared with the code before it on a machine whose load comes and goes.
 * Each phase also prints the CPU seconds of its Tidings processes (from /proc, sampled every
 * 100 ms), steadier than the rates on a shared machine; the sink and PostgreSQL are not counted.
 * Goals (issue 20): 2 at least as fast as 1 (ratio ≥ 1), 3 at ≥ 0.8× of 1. Every phase
 * checks that no reader got two messages and every reader got one (or is ambiguous).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgDatabase } from '../src/store/postgres/pg-database.ts';
import { createTestDatabase, PG_TEST_URL } from '../tests/helpers/postgres.ts';
import { cpuWatch } from './process-cpu.ts';
import { startSinkProcess, type SinkProcess } from './send-sink.ts';
import { BENCH_SECRET, NEWSLETTER, createSendWorkspace, type SendWorkspace } from './send-workspace.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tidings.js');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Cli {
  proc: ChildProcess;
  /** CPU seconds so far (user + system), from /proc: less moved by the machine's load than the rates. */
  cpu: () => number;
  exited: Promise<number | null>;
  output: () => string;
}

/** `--baseline BIN`: the PostgreSQL phases also run with another build (e.g. the code before a change), alternately. */
const BASELINE = (() => {
  const i = process.argv.indexOf('--baseline');
  return i >= 0 ? path.resolve(process.argv[i + 1]!) : null;
})();

/** BENCH_WORKER_ARGS="--concurrency 10": extra arguments for every `tidings worker` (an experiment's knob). */
const WORKER_ARGS = (process.env.BENCH_WORKER_ARGS ?? '').split(' ').filter(Boolean);

function startCli(ws: SendWorkspace, port: number, args: string[], bin = BIN): Cli {
  // BENCH_CPU_PROF=DIR: every CLI process writes a V8 CPU profile there (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...profile, bin, '-q', '-c', ws.configFile, ...args], {
    env: { PATH: process.env.PATH, SMTP_URL: `smtp://127.0.0.1:${port}`, TIDINGS_SECRET: BENCH_SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-3000)));
  proc.stderr!.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-3000)));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const cpu = cpuWatch(proc.pid!);
  void exited.then(cpu.stop);
  return { proc, exited, output: () => out, cpu: cpu.now };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Phase {
  label: string;
  seconds: number;
  /** CPU seconds of the timed Tidings processes during the phase (not the sink's nor PostgreSQL's). */
  cpuSeconds: number;
  received: number;
  ambiguous: number;
  duplicates: number;
}

async function sqliteSend(ws: SendWorkspace, sink: SinkProcess, count: number): Promise<Phase> {
  await sink.reset();
  const started = performance.now();
  const send = startCli(ws, sink.port, ['send', NEWSLETTER, '--at', ws.at]);
  const code = await send.exited;
  const seconds = (performance.now() - started) / 1000;
  const stats = await sink.stats();
  if (code !== 0 || stats.received !== count)
    throw new Error(`SQLite send: exit ${code}, sink got ${stats.received} of ${count}\n${send.output()}`);
  return {
    label: 'SQLite, one send',
    seconds,
    cpuSeconds: send.cpu(),
    received: stats.received,
    ambiguous: 0,
    duplicates: stats.duplicates,
  };
}

/** Rows still to be done: pending, or in flight at a process other than the killed one. */
async function openRows(db: PgDatabase, killedPid: number | null): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT COUNT(*)::int AS n FROM deliveries WHERE status = 'pending'
        OR (status = 'sending' AND ($1::text IS NULL OR lease_owner IS NULL OR lease_owner NOT LIKE $1::text))`,
    [killedPid === null ? null : `% pid ${killedPid} %`],
  );
  return rows[0]!.n;
}

async function liveWorkers(db: PgDatabase): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM delivery_workers');
  return rows[0]!.n;
}

async function stopAll(workers: Cli[]): Promise<void> {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

async function sendWithWorkers(
  ws: SendWorkspace,
  db: PgDatabase,
  sink: SinkProcess,
  count: number,
  workerCount: number,
  bin = BIN,
): Promise<Phase> {
  await resetQueue(db);
  await sink.reset();
  const workers = Array.from({ length: workerCount }, () => startCli(ws, sink.port, ['worker', ...WORKER_ARGS], bin));
  try {
    await waitFor('the workers to start', async () => (await liveWorkers(db)) >= workerCount);
    const started = performance.now();
    // The workers' start-up (before the send) is a daemon's, not the phase's.
    const workersCpuBefore = workers.reduce((sum, w) => sum + w.cpu(), 0);
    const send = startCli(ws, sink.port, ['send', NEWSLETTER, '--at', ws.at], bin);
    // --trace: the queue every 2 s (where a slow phase waits).
    const trace = process.argv.includes('--trace')
      ? setInterval(() => {
          void db
            .query<{ status: string; leased: boolean; n: number }>(
              `SELECT status, lease_owner IS NOT NULL AS leased, COUNT(*)::int AS n FROM deliveries GROUP BY 1, 2 ORDER BY 1, 2`,
            )
            .then(({ rows }) =>
              console.log(
                `    ${((performance.now() - started) / 1000).toFixed(0)} s: ${rows.map((r) => `${r.status}${r.leased ? '(leased)' : ''} ${r.n}`).join(', ')}`,
              ),
            );
        }, 2000)
      : null;
    let killedPid: number | null = null;
    if (workerCount > 1) {
      await waitFor('a third of the list at the sink', async () => (await sink.stats()).received >= count / 3);
      killedPid = workers[0]!.proc.pid!;
      workers[0]!.proc.kill('SIGKILL');
    }
    const code = await send.exited;
    await waitFor('every row done', async () => (await openRows(db, killedPid)) === 0);
    if (trace) clearInterval(trace);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = send.cpu() + workers.reduce((sum, w) => sum + w.cpu(), 0) - workersCpuBefore;
    const stats = await sink.stats();
    const { rows } = await db.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM deliveries WHERE status = 'sending'`,
    );
    const ambiguous = rows[0]!.n;
    // The send exits 1 when it counts rows ambiguous (the killed worker's, or ones in flight at live workers).
    if ((code !== 0 && code !== 1) || stats.received + ambiguous < count) {
      throw new Error(
        `send + workers: exit ${code}, sink got ${stats.received} of ${count}, ${ambiguous} ambiguous\n${send.output()}`,
      );
    }
    return {
      label: `PostgreSQL, one send + ${workerCount} workers${killedPid ? ' (one killed)' : ''}${bin === BIN ? '' : ' [baseline]'}`,
      seconds,
      cpuSeconds,
      received: stats.received,
      ambiguous,
      duplicates: stats.duplicates,
    };
  } finally {
    await stopAll(workers);
  }
}

/** Before a send + workers phase: no delivery, no stored segment, the edition not built (the send builds it). */
async function resetQueue(db: PgDatabase): Promise<void> {
  await db.query(
    'DELETE FROM deliveries; DELETE FROM received_articles; DELETE FROM edition_segments; DELETE FROM delivery_workers; DELETE FROM send_leases',
  );
  await db.query('DELETE FROM editions').catch(() => {});
}

async function oneWorker(
  ws: SendWorkspace,
  db: PgDatabase,
  sink: SinkProcess,
  count: number,
  bin = BIN,
): Promise<Phase> {
  const { rows } = await db.query<{ edition_id: string }>('SELECT DISTINCT edition_id FROM deliveries');
  const editionId = rows[0]!.edition_id;
  await db.query(
    'DELETE FROM deliveries; DELETE FROM received_articles; DELETE FROM edition_segments; DELETE FROM delivery_workers',
  );
  await db.query(`INSERT INTO deliveries (edition_id, subscriber_id) SELECT $1, id FROM subscribers`, [editionId]);
  await db.query(`UPDATE editions SET status = 'sending' WHERE id = $1`, [editionId]).catch(() => {});
  await sink.reset();
  const started = performance.now();
  const worker = startCli(ws, sink.port, ['worker', '--until-idle', ...WORKER_ARGS], bin);
  const code = await worker.exited;
  const seconds = (performance.now() - started) / 1000;
  const stats = await sink.stats();
  if (code !== 0 || stats.received !== count)
    throw new Error(`one worker: exit ${code}, sink got ${stats.received} of ${count}\n${worker.output()}`);
  return {
    label: `PostgreSQL, one worker alone${bin === BIN ? '' : ' [baseline]'}`,
    seconds,
    cpuSeconds: worker.cpu(),
    received: stats.received,
    ambiguous: 0,
    duplicates: stats.duplicates,
  };
}

async function main(): Promise<void> {
  if (!PG_TEST_URL) {
    console.log('send-vs-workers: skipped (set TIDINGS_TEST_PG_URL to a PostgreSQL superuser URL)');
    return;
  }
  const count = flag('--subscribers', 3000);
  const workerCount = flag('--workers', 3);
  if (!process.argv.includes('--no-build'))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const root = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-workers-'));
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const database = await createTestDatabase('tidings_bench');
  const sink = await startSinkProcess();
  const db = new PgDatabase(database.url, { maxConnections: 2 });
  try {
    const sqliteWs = await createSendWorkspace(path.join(root, 'sqlite'), count, slot);
    const pgWs = await createSendWorkspace(path.join(root, 'pg'), count, slot, database.url);
    console.log(
      `send-vs-workers: ${count} readers, 50 segments, one sink (smtp-server, own process); ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const phases = [await sqliteSend(sqliteWs, sink, count)];
    if (BASELINE) phases.push(await sendWithWorkers(pgWs, db, sink, count, workerCount, BASELINE));
    phases.push(await sendWithWorkers(pgWs, db, sink, count, workerCount));
    const together = phases.at(-1)!;
    if (BASELINE) phases.push(await oneWorker(pgWs, db, sink, count, BASELINE));
    phases.push(await oneWorker(pgWs, db, sink, count));
    const base = phases[0]!;
    for (const p of phases) {
      const rate = p.received / p.seconds;
      console.log(
        `  ${p.label}: ${p.received} messages in ${p.seconds.toFixed(1)} s = ${rate.toFixed(0)} msg/s, ` +
          `x${(base.seconds / p.seconds).toFixed(2)} of SQLite (time ratio), ` +
          `${p.cpuSeconds.toFixed(1)} s CPU in Tidings (${((p.cpuSeconds / p.received) * 1000).toFixed(2)} ms/msg)${p.ambiguous ? `, ${p.ambiguous} ambiguous (in flight at the killed worker)` : ''}` +
          `${p.duplicates ? `, ${p.duplicates} SECOND COPIES` : ''}`,
      );
      if (p.duplicates) process.exitCode = 1;
    }
    const withWorkers = base.seconds / together.seconds;
    const alone = base.seconds / phases.at(-1)!.seconds;
    console.log(
      `goals: send + ${workerCount} workers x${withWorkers.toFixed(2)} (≥ 1: ${withWorkers >= 1 ? 'PASS' : 'FAIL'}); one worker x${alone.toFixed(2)} (≥ 0.8: ${alone >= 0.8 ? 'PASS' : 'FAIL'})`,
    );
  } finally {
    sink.stop();
    await db.close();
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
