/**
 * The SMTP sink of the send benchmark, in its own process so that its CPU does not
 * share the sender's event loop. smtp-server on 127.0.0.1 accepts and discards; it keeps
 * the first messages of each phase so the baseline can send one the real path produced.
 *
 * Parent side: `startSinkProcess()`. Child side: this file run with `--sink-child`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

export interface SinkStats {
  received: number;
  bytes: number;
  minBytes: number;
  maxBytes: number;
  cpuSeconds: number;
  /** Messages to a recipient who had already received one since the reset (a second copy). */
  duplicates: number;
}

type Request = { type: 'reset' } | { type: 'stats' } | { type: 'save-typical'; file: string };
type Reply = { port: number } | SinkStats | { file: string; bytes: number; meanBytes: number };

/** How many messages to keep per phase: enough to see every segment of a 50-segment list. */
const KEEP = 500;

function runSinkChild(): void {
  let received = 0;
  let bytes = 0;
  let minBytes = Infinity;
  let maxBytes = 0;
  let kept: Buffer[] = [];
  let seen = new Set<string>();
  let duplicates = 0;
  let cpuAtReset = process.cpuUsage();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 50 * 1024 * 1024,
    onData(stream, session, callback) {
      for (const rcpt of session.envelope.rcptTo) {
        if (seen.has(rcpt.address)) duplicates++;
        else seen.add(rcpt.address);
      }
      const keep = kept.length < KEEP;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (keep) chunks.push(chunk);
      });
      stream.on('end', () => {
        received++;
        bytes += size;
        minBytes = Math.min(minBytes, size);
        maxBytes = Math.max(maxBytes, size);
        if (keep) kept.push(Buffer.concat(chunks));
        callback(null);
      });
    },
  });
  server.on('error', (error) => console.error('sink:', error.message));
  const send = (reply: Reply) => process.send!(reply);
  server.listen(0, '127.0.0.1', () => send({ port: (server.server.address() as { port: number }).port }));
  process.on('message', (request: Request) => {
    if (request.type === 'reset') {
      received = 0;
      bytes = 0;
      minBytes = Infinity;
      maxBytes = 0;
      kept = [];
      seen = new Set();
      duplicates = 0;
      cpuAtReset = process.cpuUsage();
      send({ received, bytes, minBytes: 0, maxBytes, cpuSeconds: 0, duplicates });
    } else if (request.type === 'stats') {
      const cpu = process.cpuUsage(cpuAtReset);
      send({
        received,
        bytes,
        minBytes: received ? minBytes : 0,
        maxBytes,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        duplicates,
      });
    } else {
      // The kept message closest to the phase's mean size: a typical message, not the largest or smallest segment.
      const mean = bytes / Math.max(1, received);
      const typical = kept.reduce(
        (best, m) => (Math.abs(m.length - mean) < Math.abs(best.length - mean) ? m : best),
        kept[0]!,
      );
      writeFileSync(request.file, typical);
      send({ file: request.file, bytes: typical.length, meanBytes: mean });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

export interface SinkProcess {
  port: number;
  reset(): Promise<void>;
  stats(): Promise<SinkStats>;
  /** Writes a typical message of the phase (closest to the mean size) to `file`. */
  saveTypical(file: string): Promise<{ bytes: number; meanBytes: number }>;
  stop(): void;
}

export async function startSinkProcess(): Promise<SinkProcess> {
  const proc: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sink-child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // One request at a time: each reply resolves the oldest waiting request.
  const waiting: ((reply: Reply) => void)[] = [];
  proc.on('message', (m) => waiting.shift()?.(m as Reply));
  proc.on('exit', (code) => {
    if (waiting.length) console.error(`sink exited (${code}) with ${waiting.length} requests unanswered`);
  });
  const next = () => new Promise<Reply>((resolve) => waiting.push(resolve));
  const ask = async <T extends Reply>(request: Request): Promise<T> => {
    const reply = next();
    proc.send(request);
    return (await reply) as T;
  };
  const { port } = (await next()) as { port: number };
  return {
    port,
    reset: async () => void (await ask({ type: 'reset' })),
    stats: () => ask<SinkStats>({ type: 'stats' }),
    saveTypical: (file) => ask<{ file: string; bytes: number; meanBytes: number }>({ type: 'save-typical', file }),
    stop: () => proc.kill(),
  };
}

if (process.argv.includes('--sink-child')) runSinkChild();
