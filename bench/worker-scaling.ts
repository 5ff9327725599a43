/**
 * Worker scaling: 1, 2 and 4 `tidings worker` processes sharing one edition on one
 * PostgreSQL store, sending to one SMTP sink (smtp-server on 127.0.0.1 in its own process).
 *
 *   TIDINGS_TEST_PG_URL=postgres://… npx tsx bench/worker-scaling.ts [--subscribers 3000] [--workers 1,2,4] [--concurrency 4] [--async-commit]
 *
 * Each round: a fresh queue (every delivery pending again, no stored segments), k worker
 * processes started at once, each a real worker loop (lease batches of 100, mark in
 * flight, SMTP through the built-in client's pool, record) with the stand-in renderer of the tests;
 * timed from the go given to the started, connected workers to the last one's exit. Prints messages/s per round
 * and the speed-up over one worker. Without the variable it prints "skipped".
 * `--async-commit` sets synchronous_commit = off on the bench database: it shows how much of
 * the time is the server waiting for its disk on each commit rather than the workers.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PgDatabase } from '../src/store/postgres/pg-database.ts';
import { migratePg } from '../src/store/postgres/pg-migrations.ts';
import { PG_MIGRATIONS } from '../src/store/postgres/pg-schema.ts';
import { createTestDatabase, PG_TEST_URL } from '../tests/helpers/postgres.ts';
import { enqueueEdition, runStandInWorker, WORKER_EDITION } from '../tests/worker/support/worker-fixture.ts';
import { startSinkProcess } from './send-sink.ts';

const SELF = fileURLToPath(import.meta.url);

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

async function workerChild(): Promise<void> {
  const [url, port, workerId, concurrency] = process.argv.slice(process.argv.indexOf('--worker-child') + 1);
  const db = new PgDatabase(url!, { maxConnections: Number(concurrency) + 2 });
  await db.query('SELECT 1');
  // Started and connected: wait for the go, so process start-up is not timed.
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send!('ready');
  });
  const summary = await runStandInWorker(db, {
    workerId: workerId!,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    concurrency: Number(concurrency),
    leaseMs: 30_000,
    batchSize: 100,
  });
  await db.close();
  process.send!(summary, () => process.exit(0));
}

interface WorkerProcess {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ accepted: number }>;
}

function startWorkerProcess(url: string, port: number, workerId: string, concurrency: number): WorkerProcess {
  const child = fork(SELF, ['--worker-child', url, String(port), workerId, String(concurrency)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let summary: { accepted: number } | null = null;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.on('message', (m) => {
    if (m === 'ready') onReady();
    else summary = m as { accepted: number };
  });
  const done = new Promise<{ accepted: number }>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 && summary ? resolve(summary) : reject(new Error(`worker ${workerId} exited with ${code}`)),
    ),
  );
  return { ready, go: () => child.send('go'), done };
}

async function main(): Promise<void> {
  if (!PG_TEST_URL) {
    console.log('worker-scaling: skipped (set TIDINGS_TEST_PG_URL to a PostgreSQL superuser URL)');
    return;
  }
  const subscribers = Number(flag('subscribers', '3000'));
  const rounds = flag('workers', '1,2,4').split(',').map(Number);
  const concurrency = Number(flag('concurrency', '4'));
  const database = await createTestDatabase('tidings_bench');
  if (process.argv.includes('--async-commit')) {
    const admin = new PgDatabase(database.url, { maxConnections: 1 });
    await admin.query(`ALTER DATABASE ${new URL(database.url).pathname.slice(1)} SET synchronous_commit = off`);
    await admin.close();
  }
  const db = new PgDatabase(database.url);
  const sink = await startSinkProcess();
  try {
    await migratePg(db, PG_MIGRATIONS);
    await enqueueEdition(db, subscribers);
    const commit = process.argv.includes('--async-commit') ? ', synchronous_commit off' : '';
    console.log(
      `worker-scaling: ${subscribers} subscribers, 3 segments, ${concurrency} SMTP connections per worker, batches of 100${commit}`,
    );
    let baseline = 0;
    for (const k of rounds) {
      await db.query(
        `UPDATE deliveries SET status = 'pending', attempts = 0, claimed_at = NULL, finished_at = NULL, message_id = NULL,
        response = NULL, lease_owner = NULL, lease_until = NULL WHERE edition_id = $1`,
        [WORKER_EDITION],
      );
      await db.query('DELETE FROM received_articles; DELETE FROM edition_segments; DELETE FROM delivery_workers');
      await sink.reset();
      const workers = Array.from({ length: k }, (_, i) =>
        startWorkerProcess(database.url, sink.port, `bench-${k}-${i}`, concurrency),
      );
      await Promise.all(workers.map((w) => w.ready));
      const started = performance.now();
      for (const w of workers) w.go();
      const summaries = await Promise.all(workers.map((w) => w.done));
      const seconds = (performance.now() - started) / 1000;
      const stats = await sink.stats();
      const rate = stats.received / seconds;
      if (k === rounds[0]) baseline = rate / k;
      const shares = summaries.map((s) => s.accepted).join('/');
      console.log(
        `  ${k} worker(s): ${stats.received} messages in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} msg/s ` +
          `(x${(rate / (baseline * rounds[0]!)).toFixed(2)} of ${rounds[0]} worker(s); per worker ${shares})`,
      );
      if (stats.received !== subscribers)
        throw new Error(`the sink received ${stats.received} messages for ${subscribers} subscribers`);
    }
  } finally {
    sink.stop();
    await db.close();
    await database.drop();
  }
}

if (process.argv.includes('--worker-child')) await workerChild();
else await main();
