/**
 * Send throughput and memory of `tidings send`, against a bare nodemailer pooled loop.
 *
 *   npx tsx bench/send-throughput.ts [--subscribers 20000] [--large 200000] [--skip-large] [--keep] [--no-build] [--source]
 *   npx tsx bench/send-throughput.ts --large 1000000      # the 1M memory run: seeding ~1 min, the send
 *                                                         # minutes at the measured rate (1M ÷ msg/s)
 *   BENCH_CPU_PROF=/tmp/prof npx tsx bench/send-throughput.ts --skip-large   # CPU profile of the send child
 *   BENCH_GC_TRACE=1 npx tsx bench/send-throughput.ts ...   # the send child's live heap after a full GC every 10 s
 *
 * 1. A sink: smtp-server on 127.0.0.1 in its own process (bench/send-sink.ts); it advertises
 *    8BITMIME like most servers, so segments that are not plain ASCII go 8bit after the first message.
 * 2. A Tidings folder seeded through the real code (bench/send-workspace.ts): config with an
 *    smtp transport (maxConnections 5, maxMessages 100), 15 articles, N subscribers synced
 *    from a CSV so that exactly 50 segments arise.
 * 3. Tidings: `main(['node','tidings','-q','-c',config,'send','daily','--at',slot])` in a fresh
 *    child process, timed from start to finish (config, store, renderer, edition, 50 renders,
 *    ledger, SMTP); its peak RSS is the N-subscriber memory figure. It runs the compiled
 *    JavaScript that `bin/tidings.js` runs (`npm run build` first, unless --no-build), not
 *    the TypeScript sources through tsx, whose compiling at start-up users never pay
 *    (`--source` runs the sources, e.g. for a CPU profile with source names).
 * 4. Baseline, same run, same sink, same pool settings: a typical message the real path just
 *    produced (captured at the sink) is parsed and its HTML, text and headers sent N times
 *    through nodemailer's pooled sendMail (which composes MIME per message), 5 in flight.
 * 5. Memory: `tidings send` to the large list in its own child; peak RSS ratio large/N.
 * Floors (the goals of issue 14): throughput ratio ≥ 2; memory ratio ≤ 1.2. The machine is
 * shared: wall-clock ratios move with the load, so sender CPU per message is printed too.
 */
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { startSinkProcess, type SinkStats } from './send-sink.ts';
import { BENCH_SECRET, EXPECTED_SEGMENTS, NEWSLETTER, POOL, createSendWorkspace } from './send-workspace.ts';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
/** What `npm run build` makes of src/cli/main.ts: the code `bin/tidings.js` runs. */
const COMPILED_MAIN = new URL('../dist/cli/main.js', import.meta.url).href;

interface SendReport {
  exitCode: number;
  seconds: number;
  accepted: number;
  segments: number;
  summary: string;
  errors: string;
  rssBeforeMb: number;
  peakRssMb: number;
  /** Peaks sampled every second: where the memory is (V8 heap or buffers outside it). */
  peakHeapUsedMb: number;
  peakExternalMb: number;
  cpuSeconds: number;
}

interface BaselineReport {
  seconds: number;
  sent: number;
  cpuSeconds: number;
  peakRssMb: number;
  htmlBytes: number;
  textBytes: number;
  headerCount: number;
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const cpuSecondsSince = (start: NodeJS.CpuUsage) => {
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / 1e6;
};

/** Child: `tidings send` through the CLI's composition root, in this process. */
async function sendChild(configFile: string, at: string, port: number): Promise<SendReport> {
  const { main } = (
    process.argv.includes('--source') ? await import('../src/cli/main.ts') : await import(COMPILED_MAIN)
  ) as typeof import('../src/cli/main.ts');
  const rssBeforeMb = process.memoryUsage().rss / 1024 ** 2;
  let out = '';
  let err = '';
  // Not a terminal: the CLI writes JSON progress lines every 2 s; keep only the tail.
  const stdout = new Writable({
    write: (chunk, _enc, done) => {
      out = (out + String(chunk)).slice(-4000);
      done();
    },
  });
  const stderr = new Writable({
    write: (chunk, _enc, done) => {
      err = (err + String(chunk)).slice(-4000);
      done();
    },
  });
  let peakHeapUsedMb = 0;
  let peakExternalMb = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeapUsedMb = Math.max(peakHeapUsedMb, m.heapUsed / 1024 ** 2);
    peakExternalMb = Math.max(peakExternalMb, m.external / 1024 ** 2);
  }, 1000); // memoryUsage() reads /proc: every 200 ms it cost the sender ~1% of its CPU
  // BENCH_GC_TRACE=1: the live heap after a full GC every 10 s, to tell retained memory from garbage not yet collected.
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveHeap: string[] = [];
  const tracer = gc
    ? setInterval(() => {
        gc();
        liveHeap.push((process.memoryUsage().heapUsed / 1024 ** 2).toFixed(0));
      }, 10_000)
    : null;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const exitCode = await main(['node', 'tidings', '-q', '-c', configFile, 'send', NEWSLETTER, '--at', at], {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, TIDINGS_SECRET: BENCH_SECRET },
    stdout,
    stderr,
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  clearInterval(sampler);
  if (tracer) {
    clearInterval(tracer);
    console.log(`live heap after GC every 10 s (MB): ${liveHeap.join(' ')}`);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const summary = out.split('\n').find((line) => / accepted, /.test(line)) ?? '';
  // Read back what the ledger recorded: accepted rows and the distinct segments they came from.
  const db = new Database(path.join(path.dirname(configFile), 'data', 'tidings.db'), { readonly: true });
  const row = db
    .prepare(
      `SELECT COUNT(*) AS accepted, COUNT(DISTINCT segment) AS segments FROM deliveries WHERE status = 'accepted'`,
    )
    .get() as { accepted: number; segments: number };
  db.close();
  return {
    exitCode,
    seconds,
    accepted: row.accepted,
    segments: row.segments,
    summary,
    errors: err.trim(),
    rssBeforeMb,
    peakRssMb,
    peakHeapUsedMb,
    peakExternalMb,
    cpuSeconds,
  };
}

/** The raw value of a header line as the real path wrote it (folded lines joined). */
function headerValue(lines: readonly { key: string; line: string }[], key: string): string {
  const line = lines.find((l) => l.key === key.toLowerCase())?.line;
  if (!line) throw new Error(`captured message has no ${key} header`);
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** Child: nodemailer's pooled sendMail with the captured message's HTML, text and headers, `count` times. */
async function baselineChild(emlFile: string, port: number, count: number): Promise<BaselineReport> {
  const parsed = await simpleParser(readFileSync(emlFile));
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const text = parsed.text ?? '';
  const lines = parsed.headerLines;
  const from = headerValue(lines, 'From');
  const replyTo = headerValue(lines, 'Reply-To');
  const domain = from.slice(from.lastIndexOf('@') + 1).replace(/>.*$/, '');
  const listHeaders = {
    'List-Id': headerValue(lines, 'List-Id'),
    'List-Unsubscribe-Post': headerValue(lines, 'List-Unsubscribe-Post'),
  };
  const unsubscribe = headerValue(lines, 'List-Unsubscribe');
  const name = /^"?([^"<]*)"?\s*</.exec(headerValue(lines, 'To'))?.[1]?.trim() ?? 'Reader';
  if (!html || !text) throw new Error(`captured message ${emlFile} lacks an HTML or a text part`);

  const transporter = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    secure: false,
    ...POOL,
    tls: { rejectUnauthorized: true },
  });
  let next = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: POOL.maxConnections }, async () => {
      while (next < count) {
        const i = next++;
        await transporter.sendMail({
          from,
          replyTo,
          to: { name, address: `reader${i}@example.org` },
          subject: parsed.subject ?? '',
          date: new Date(),
          messageId: `<${randomBytes(12).toString('base64url')}.${i}@${domain}>`,
          headers: { ...listHeaders, 'List-Unsubscribe': unsubscribe },
          text,
          html,
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  transporter.close();
  return {
    seconds,
    sent: count,
    cpuSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    htmlBytes: Buffer.byteLength(html),
    textBytes: Buffer.byteLength(text),
    headerCount: lines.length,
  };
}

function runChild<T>(args: string[]): Promise<T> {
  // BENCH_CPU_PROF=DIR: the send child writes a V8 CPU profile there (node --cpu-prof), to see where the time goes.
  const profile =
    process.env.BENCH_CPU_PROF && args[0] === '--send-child'
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
  if (process.env.BENCH_GC_TRACE && args[0] === '--send-child') profile.push('--expose-gc');
  const proc = fork(SELF, args, {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: T | null = null;
    proc.on('message', (m) => (result = m as T));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`child ${args[0]} exited with ${code} and no report`)),
    );
  });
}

const mb = (n: number) => `${n.toFixed(0)} MB`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function seed(root: string, count: number, slot: Date) {
  const started = performance.now();
  const ws = await createSendWorkspace(path.join(root, `list-${count}`), count, slot);
  console.log(
    `seeded ${count} subscribers (CSV → syncSubscribers) and 15 articles in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return ws;
}

async function sendRun(
  root: string,
  count: number,
  slot: Date,
  port: number,
  sink: Awaited<ReturnType<typeof startSinkProcess>>,
) {
  const ws = await seed(root, count, slot);
  await sink.reset();
  const report = await runChild<SendReport>([
    '--send-child',
    ws.configFile,
    ws.at,
    String(port),
    ...(process.argv.includes('--source') ? ['--source'] : []),
  ]);
  const stats = await sink.stats();
  if (report.exitCode !== 0 || report.accepted !== count || stats.received !== count) {
    throw new Error(
      `tidings send to ${count}: exit ${report.exitCode}, ${report.accepted} accepted, sink got ${stats.received}\n${report.summary}\n${report.errors}`,
    );
  }
  return { ws, report, stats };
}

function describeSend(count: number, r: SendReport, s: SinkStats): string {
  return (
    `tidings send (${count}): ${(count / r.seconds).toFixed(0)} msg/s, ${r.seconds.toFixed(1)} s wall, sender CPU ${r.cpuSeconds.toFixed(1)} s, ` +
    `sink CPU ${s.cpuSeconds.toFixed(1)} s, messages ${kb(s.minBytes)}–${kb(s.maxBytes)} (mean ${kb(s.bytes / s.received)}), ${r.segments} segments; peak RSS ${mb(r.peakRssMb)} ` +
    `(${mb(r.rssBeforeMb)} before the send; sampled peaks: V8 heap used ${mb(r.peakHeapUsedMb)}, external ${mb(r.peakExternalMb)})`
  );
}

async function orchestrate(): Promise<void> {
  const count = flag('--subscribers', 20_000);
  const large = flag('--large', 200_000);
  if (!process.argv.includes('--no-build') && !process.argv.includes('--source')) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-send-'));
  // A recent slot: the late-run rule refuses slots more than 6 h old without --force.
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const sink = await startSinkProcess();
  try {
    console.log(
      `Node ${process.version}, ${os.cpus().length} CPUs; sink pid-separate on 127.0.0.1:${sink.port}; pool ${JSON.stringify(POOL)}; slot ${slot.toISOString()}`,
    );
    const small = await sendRun(root, count, slot, sink.port, sink);
    console.log(`  ${small.report.summary}`);
    console.log(describeSend(count, small.report, small.stats));
    const eml = path.join(root, 'typical.eml');
    const typical = await sink.saveTypical(eml);

    await sink.reset();
    const base = await runChild<BaselineReport>(['--baseline-child', eml, String(sink.port), String(count)]);
    const baseStats = await sink.stats();
    if (baseStats.received !== count) throw new Error(`baseline: sink got ${baseStats.received} of ${count}`);
    const baseEml = path.join(root, 'baseline.eml');
    await sink.saveTypical(baseEml);
    const baseHeaders = (await simpleParser(readFileSync(baseEml))).headerLines.length;
    const baseRate = count / base.seconds;
    const tidingsRate = count / small.report.seconds;
    console.log(
      `baseline nodemailer loop (${count}): ${baseRate.toFixed(0)} msg/s, ${base.seconds.toFixed(1)} s wall, sender CPU ${base.cpuSeconds.toFixed(1)} s, ` +
        `sink CPU ${baseStats.cpuSeconds.toFixed(1)} s, message ${kb(baseStats.bytes / baseStats.received)} on the wire ` +
        `(captured ${kb(typical.bytes)}, tidings mean ${kb(typical.meanBytes)}; HTML ${kb(base.htmlBytes)}, text ${kb(base.textBytes)}, ${base.headerCount} header lines in the capture, ${baseHeaders} in the baseline's)`,
    );
    const ratio = tidingsRate / baseRate;
    const segmentsOk = small.report.segments === EXPECTED_SEGMENTS;
    console.log(
      `segments rendered: ${small.report.segments} (expected ${EXPECTED_SEGMENTS}${segmentsOk ? '' : ' — MISMATCH'})`,
    );
    console.log(
      `throughput ratio tidings/baseline: ${ratio.toFixed(2)} (floor 2: ${ratio >= 2 ? 'PASS' : 'FAIL'}; load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
    const cpuPerMessage = (seconds: number) => `${((seconds * 1000) / count).toFixed(2)} ms`;
    console.log(
      `sender CPU per message: tidings ${cpuPerMessage(small.report.cpuSeconds)} (start-up, renders and ledger included), ` +
        `baseline ${cpuPerMessage(base.cpuSeconds)}; CPU ratio baseline/tidings ${(base.cpuSeconds / small.report.cpuSeconds).toFixed(2)}`,
    );
    // The engine's own rate (its summary line), from the first claim to the last outcome: renders, ledger and SMTP, no start-up.
    const engineRate = Number(/\(([\d.]+) msg\/s\)/.exec(small.report.summary)?.[1] ?? NaN);
    console.log(
      `send phase alone (the engine's rate, without process start-up, config and store opening): ${engineRate.toFixed(0)} msg/s, ratio ${(engineRate / baseRate).toFixed(2)}`,
    );
    if (ratio < 2 || !segmentsOk) process.exitCode = 1;

    if (!process.argv.includes('--skip-large')) {
      rmSync(small.ws.dir, { recursive: true, force: true });
      const big = await sendRun(root, large, slot, sink.port, sink);
      console.log(`  ${big.report.summary}`);
      console.log(describeSend(large, big.report, big.stats));
      const memoryRatio = big.report.peakRssMb / small.report.peakRssMb;
      console.log(
        `peak RSS: ${count} → ${mb(small.report.peakRssMb)}, ${large} → ${mb(big.report.peakRssMb)}; ratio ${memoryRatio.toFixed(2)} ` +
          `(floor ≤ 1.2: ${memoryRatio <= 1.2 ? 'PASS' : 'FAIL'}); growth above the pre-send RSS: ` +
          `${mb(small.report.peakRssMb - small.report.rssBeforeMb)} vs ${mb(big.report.peakRssMb - big.report.rssBeforeMb)}`,
      );
      if (memoryRatio > 1.2) process.exitCode = 1;
    }
  } finally {
    sink.stop();
    if (process.argv.includes('--keep')) console.log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

/** Hands the report to the parent, then exits (an idle pool socket must not keep the child alive). */
function report(result: unknown): void {
  process.send!(result, () => process.exit(0));
}

const mode = process.argv[2];
if (mode === '--send-child') report(await sendChild(process.argv[3]!, process.argv[4]!, Number(process.argv[5])));
else if (mode === '--baseline-child')
  report(await baselineChild(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5])));
else await orchestrate();
