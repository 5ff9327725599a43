/**
 * Closer to the wire: `tidings send` against Postfix's own C client, to Postfix's
 * `smtp-sink`, in one run (issue 20; Debian's `postfix` package ships both).
 *
 *   npx tsx bench/postfix-sink.ts [--subscribers 20000] [--no-build]
 *   BENCH_CPU_PROF=DIR npx tsx bench/postfix-sink.ts   # CPU profile of the tidings send
 *
 * 1. The mean size of a Tidings message of this list: a 300-reader list sent to the
 *    project's own sink (bench/send-sink.ts), which counts bytes.
 * 2. smtp-sink on 127.0.0.1 (a free port), as user nobody when run as root.
 * 3. `tidings send` (bin/tidings.js, SQLite, 50 segments, 5 connections) to N readers,
 *    timed from its start to its exit; its own rate (first claim to last outcome) printed too.
 * 4. `smtp-source -s 5 -d -N -m N -l <mean size>`: the same number of messages of the same
 *    size, 5 sessions kept open, to the same sink; timed the same way.
 * Goal: tidings ≥ 0.8× smtp-source's rate, compared on the send phase (the fixed costs,
 * start-up and 50 renders, are ~2–5 s of CPU here, what smtp-source takes for the whole
 * list); the whole command's ratio is printed too. Prints "skipped" without the Postfix tools.
 * Both clients run under GNU time (/usr/bin/time) when present: their CPU per message, and the
 * kernel's share of it, compare better than rates on a loaded machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSinkProcess } from './send-sink.ts';
import { BENCH_SECRET, NEWSLETTER, POOL, createSendWorkspace, type SendWorkspace } from './send-workspace.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/tidings.js');
const SMTP_SINK = '/usr/sbin/smtp-sink';
const SMTP_SOURCE = '/usr/sbin/smtp-source';
/** GNU time: the CPU seconds of each timed process, a figure the machine's load moves less than the rate. */
const TIME = '/usr/bin/time';
const CPU_MARK = 'bench-cpu-seconds';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() && true));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`smtp-sink did not listen on ${port}`);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; seconds: number; cpuSeconds: number; systemSeconds: number; out: string }> {
  const started = performance.now();
  const timed = existsSync(TIME);
  const child = timed
    ? spawn(TIME, ['-f', `${CPU_MARK} %U %S`, command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-4000)));
  child.stderr.on('data', (chunk: Buffer) => (out = (out + chunk.toString()).slice(-4000)));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const cpu = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(out);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN;
      const systemSeconds = cpu ? Number(cpu[2]) : Number.NaN;
      resolve({ code, seconds: (performance.now() - started) / 1000, cpuSeconds, systemSeconds, out });
    }),
  );
}

function tidingsSend(ws: SendWorkspace, port: number) {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return run(process.execPath, [...profile, BIN, '-q', '-c', ws.configFile, 'send', NEWSLETTER, '--at', ws.at], {
    PATH: process.env.PATH,
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    TIDINGS_SECRET: BENCH_SECRET,
  });
}

/** The mean size on the wire of this list's messages, measured on a short list. */
async function meanMessageBytes(root: string, slot: Date): Promise<number> {
  const sink = await startSinkProcess();
  try {
    const ws = await createSendWorkspace(path.join(root, 'calibrate'), 300, slot);
    const sent = await tidingsSend(ws, sink.port);
    const stats = await sink.stats();
    if (sent.code !== 0 || stats.received !== 300)
      throw new Error(`calibration send: exit ${sent.code}, ${stats.received} received\n${sent.out}`);
    return Math.round(stats.bytes / stats.received);
  } finally {
    sink.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(SMTP_SINK) || !existsSync(SMTP_SOURCE)) {
    console.log(`postfix-sink: skipped (needs ${SMTP_SINK} and ${SMTP_SOURCE}: Debian's postfix package)`);
    return;
  }
  const count = flag('--subscribers', 20_000);
  if (!process.argv.includes('--no-build'))
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const root = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-postfix-'));
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const sink = spawn(SMTP_SINK, [...(asRoot ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '256'], { stdio: 'ignore' });
  try {
    await waitForPort(port);
    const bytes = await meanMessageBytes(root, slot);
    const ws = await createSendWorkspace(path.join(root, 'list'), count, slot);
    console.log(
      `postfix-sink: ${count} messages of ${(bytes / 1024).toFixed(1)} KB on average to smtp-sink on 127.0.0.1:${port}, ${POOL.maxConnections} connections; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`,
    );

    const tidings = await tidingsSend(ws, port);
    const summary = tidings.out.split('\n').find((line) => / accepted, /.test(line)) ?? '';
    if (tidings.code !== 0 || !summary.includes(`${count} accepted`))
      throw new Error(`tidings send: exit ${tidings.code}\n${tidings.out}`);
    const source = await run(SMTP_SOURCE, [
      '-s',
      String(POOL.maxConnections),
      '-d',
      '-N',
      '-m',
      String(count),
      '-l',
      String(bytes),
      '-f',
      'news@brief.example.org',
      '-t',
      'reader@example.org',
      `127.0.0.1:${port}`,
    ]);
    if (source.code !== 0) throw new Error(`smtp-source: exit ${source.code}\n${source.out}`);

    const tidingsRate = count / tidings.seconds;
    const sourceRate = count / source.seconds;
    const engineRate = Number(/\(([\d.]+) msg\/s\)/.exec(summary)?.[1] ?? NaN);
    // The kernel's share (socket writes, WAL writes) apart: a profile taken on a loaded machine blames
    // the system calls that wake the sink for the time the scheduler gave the sink instead.
    const cpuPerMessage = (timed: { cpuSeconds: number; systemSeconds: number }) =>
      `${((timed.cpuSeconds / count) * 1000).toFixed(3)} ms CPU per message, ${Math.round((timed.systemSeconds / timed.cpuSeconds) * 100)}% in the kernel`;
    console.log(
      `  smtp-source: ${sourceRate.toFixed(0)} msg/s (${source.seconds.toFixed(2)} s, ${cpuPerMessage(source)})`,
    );
    console.log(
      `  tidings send: ${tidingsRate.toFixed(0)} msg/s (${tidings.seconds.toFixed(2)} s, start-up, 50 renders and ledger included, ${cpuPerMessage(tidings)}); its send phase alone ${engineRate.toFixed(0)} msg/s`,
    );
    const ratio = tidingsRate / sourceRate;
    console.log(
      `ratio tidings/smtp-source: ${ratio.toFixed(2)} (goal ≥ 0.8: ${ratio >= 0.8 ? 'PASS' : 'FAIL'}); send phase alone ${(engineRate / sourceRate).toFixed(2)}`,
    );
  } finally {
    sink.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
