/**
 * Send throughput and memory: `npx tsx bench/send-throughput.ts [--subscribers 20000] [--large 200000] [--skip-large] [--only-tidings]`
 *
 * 1. A sink (smtp-server in a child process, 127.0.0.1, accepts and discards).
 * 2. Baseline: a bare nodemailer pooled loop sending one pre-rendered ~145 KB message
 *    (HTML + text) N times, composing MIME per message as nodemailer does.
 * 3. Tidings: sendEdition to N subscribers over 50 segments, same pool settings, a real
 *    SQLite ledger in a temp dir, recipients from a generator.
 * 4. Peak RSS of a send to N and to the large list, each in its own child process.
 * Prints the ratio of messages per second (floor 0.8) and the memory ratio (floor < 1.5).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createSilentLogger } from '../src/core/logger.ts';
import { systemClock } from '../src/core/clock.ts';
import { createMessageBuilder } from '../src/delivery/message-builder.ts';
import { sendEdition } from '../src/delivery/send-edition.ts';
import { SmtpTransport } from '../src/delivery/smtp-transport.ts';
import { createSubscriberLinks } from '../src/delivery/subscriber-token.ts';
import type { PersonalTokens, RenderedSegment } from '../src/render/render-types.ts';
import { openDatabase } from '../src/store/sqlite/open-database.ts';
import { SqliteLedger } from '../src/store/sqlite/sqlite-ledger.ts';

const SELF = fileURLToPath(import.meta.url);
const POOL = { maxConnections: 5, maxMessages: 100 };
const SEGMENTS = 50;
const EDITION = 'bench/2026-11-28T07:00:00Z';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A realistic digest: table layout, inline styles, 40 articles, ~145 KB of HTML. */
function makeSegment(index: number): RenderedSegment {
  const words = 'market policy climate research council energy election science health transport budget court housing — é ü ✓'.split(' ');
  const paragraph = (seed: number, n: number) => Array.from({ length: n }, (_, i) => words[(seed * 7 + i * 13) % words.length]).join(' ');
  let html = '<!doctype html><html><head><meta charset="utf-8"><title>Digest</title></head><body style="margin:0;padding:0;background:#f4f4f4">';
  html += '<div style="display:none">%%{name}%%, today in brief</div><table role="presentation" width="100%" cellpadding="0" cellspacing="0">';
  let text = 'Hello %%{name}%%,\n\n';
  for (let a = 0; html.length < 146_000; a++) {
    const title = `Story ${index}-${a}: ${paragraph(index + a, 8)}`;
    html +=
      `<tr><td style="padding:16px 24px;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#222222">` +
      `<h2 style="margin:0 0 8px;font-size:20px;line-height:26px;color:#111111"><a href="https://news.example.test/a/${index}/${a}?utm_source=digest" style="color:#1a4d8f;text-decoration:none">${title}</a></h2>` +
      `<p style="margin:0 0 12px">${paragraph(index * a + 3, 120)}</p>` +
      `<p style="margin:0;font-size:13px;color:#777777">Source ${a % 9} · 5 min read</p></td></tr>`;
    text += `${title}\n${paragraph(index * a + 3, 60)}\nhttps://news.example.test/a/${index}/${a}\n\n`;
  }
  html += '<tr><td style="padding:24px;font-size:12px;color:#999999"><a href="%%{unsubscribe_url}%%">Unsubscribe</a> · <a href="%%{preferences_url}%%">Preferences</a> · <a href="%%{view_url}%%">View online</a></td></tr></table></body></html>';
  text += 'Unsubscribe: %%{unsubscribe_url}%%\nPreferences: %%{preferences_url}%%\n';
  return { subject: `Bench digest · segment ${index}`, preheader: 'Today in brief', html, text, droppedArticleIds: [] };
}

/** Token replacement as the renderer does it: split once per segment, join per subscriber. */
function makePersonalize() {
  const cache = new WeakMap<RenderedSegment, { html: string[]; text: string[] }>();
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const fill = (parts: string[], tokens: PersonalTokens, html: boolean) =>
    parts.map((part, i) => (i % 2 ? (html ? escape(tokens[part as keyof PersonalTokens] ?? '') : tokens[part as keyof PersonalTokens] ?? '') : part)).join('');
  return (segment: RenderedSegment, tokens: PersonalTokens) => {
    let split = cache.get(segment);
    if (!split) {
      split = { html: segment.html.split(/%%\{(\w+)\}%%/), text: segment.text.split(/%%\{(\w+)\}%%/) };
      cache.set(segment, split);
    }
    return { subject: segment.subject, html: fill(split.html, tokens, true), text: fill(split.text, tokens, false) };
  };
}

async function* recipients(count: number) {
  for (let i = 1; i <= count; i++) yield { id: i, email: `reader${i}@example.test`, name: `Reader ${i}` };
}

/** Sends the edition to `count` subscribers through the engine; returns messages per second. */
async function runTidings(port: number, count: number): Promise<{ rate: number; accepted: number; seconds: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-'));
  const db = openDatabase(path.join(dir, 'ledger.db'));
  const segments = Array.from({ length: SEGMENTS }, (_, i) => makeSegment(i));
  const transport = new SmtpTransport({ url: `smtp://127.0.0.1:${port}`, ...POOL, rateLimit: 1_000_000, tls: { rejectUnauthorized: false } });
  const started = performance.now();
  const result = await sendEdition(
    {
      ledger: new SqliteLedger(db),
      transport,
      recipients: recipients(count),
      plan: async (r) => ({ segmentKey: `s${r.id % SEGMENTS}`, articleIds: [`a${r.id % SEGMENTS}`, 'a-common'], render: async () => segments[r.id % SEGMENTS]! }),
      personalize: makePersonalize(),
      buildMessage: createMessageBuilder({ from: 'Bench Digest <news@digest.example.test>', newsletterId: 'bench', newsletterTitle: 'Bench Digest', unsubscribeMailto: 'unsubscribe@digest.example.test', clock: systemClock }),
      links: createSubscriberLinks({ baseUrl: 'https://news.example.test', secret: 'bench-secret-0123456789', newsletterId: 'bench', editionId: EDITION }),
      clock: systemClock,
      logger: createSilentLogger(),
    },
    { editionId: EDITION, maxConnections: POOL.maxConnections, delivery: { maxAttempts: 3, backoffInitial: 100, backoffMax: 1000, maxConsecutiveFailures: 50 } },
  );
  const seconds = (performance.now() - started) / 1000;
  await transport.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate: result.accepted / seconds, accepted: result.accepted, seconds };
}

/** The baseline: nodemailer composes the same pre-rendered message per send, pooled, same concurrency. */
async function runBaseline(port: number, count: number): Promise<{ rate: number; seconds: number }> {
  const segment = makePersonalize()(makeSegment(0), {
    name: 'Reader 1', email: 'reader1@example.test', unsubscribe_url: 'https://news.example.test/u/x', preferences_url: 'https://news.example.test/p/x', view_url: 'https://news.example.test/e/x',
  });
  const transporter = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, secure: false, ...POOL, tls: { rejectUnauthorized: false } });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: POOL.maxConnections }, async () => {
      while (next < count) {
        next++;
        await transporter.sendMail({
          from: 'Bench Digest <news@digest.example.test>', to: 'Reader 1 <reader1@example.test>', subject: segment.subject,
          html: segment.html, text: segment.text,
          headers: { 'List-Id': 'Bench Digest <bench.digest.example.test>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          list: { unsubscribe: ['https://news.example.test/u/x', 'mailto:unsubscribe@digest.example.test'] },
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transporter.close();
  return { rate: count / seconds, seconds };
}

function runSink(): void {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback(null);
      });
    },
  });
  server.on('error', () => {});
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as { port: number }).port }));
  process.on('message', (m) => {
    if (m === 'count') {
      const cpu = process.cpuUsage();
      process.send!({ received, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
    }
  });
}

function child(args: string[]): Promise<{ proc: ReturnType<typeof fork>; first: Record<string, number> }> {
  const proc = fork(SELF, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (first) => resolve({ proc, first: first as Record<string, number> }));
    proc.once('error', reject);
  });
}

async function memoryRun(port: number, count: number): Promise<{ peakRssMb: number; rate: number }> {
  const { proc, first } = await child(['--memory-run', String(count), '--port', String(port)]);
  proc.kill();
  return { peakRssMb: first.peakRssMb!, rate: first.rate! };
}

async function main(): Promise<void> {
  if (process.argv.includes('--sink')) return runSink();
  if (process.argv.includes('--memory-run')) {
    const result = await runTidings(arg('--port', 0), arg('--memory-run', 20_000));
    process.send!({ peakRssMb: process.resourceUsage().maxRSS / 1024, rate: result.rate });
    return;
  }
  const count = arg('--subscribers', 20_000);
  const large = arg('--large', 200_000);
  const sink = await child(['--sink']);
  const port = sink.first.port!;
  console.log(`sink on 127.0.0.1:${port}; HTML per segment ≈ ${(makeSegment(0).html.length / 1024).toFixed(0)} KB, ${SEGMENTS} segments, pool ${JSON.stringify(POOL)}`);

  if (process.argv.includes('--only-tidings')) {
    const cpu0 = process.cpuUsage();
    const t = await runTidings(port, count);
    const cpu = process.cpuUsage(cpu0);
    sink.proc.send('count');
    const sinkStats = await new Promise((resolve) => sink.proc.once('message', resolve));
    console.log(`tidings only: ${t.rate.toFixed(0)} msg/s, sender cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s over ${t.seconds.toFixed(1)} s; sink ${JSON.stringify(sinkStats)}`);
    sink.proc.kill();
    return;
  }
  const baseline = await runBaseline(port, count);
  console.log(`baseline nodemailer loop: ${count} msgs in ${baseline.seconds.toFixed(1)} s = ${baseline.rate.toFixed(0)} msg/s`);
  const tidings = await runTidings(port, count);
  console.log(`tidings sendEdition:      ${tidings.accepted} msgs in ${tidings.seconds.toFixed(1)} s = ${tidings.rate.toFixed(0)} msg/s`);
  console.log(`throughput ratio tidings/baseline: ${(tidings.rate / baseline.rate).toFixed(2)} (floor 0.8)`);

  if (!process.argv.includes('--skip-large')) {
    const small = await memoryRun(port, count);
    console.log(`peak RSS, ${count} subscribers: ${small.peakRssMb.toFixed(0)} MB (${small.rate.toFixed(0)} msg/s)`);
    const big = await memoryRun(port, large);
    console.log(`peak RSS, ${large} subscribers: ${big.peakRssMb.toFixed(0)} MB (${big.rate.toFixed(0)} msg/s)`);
    console.log(`memory ratio ${large}/${count}: ${(big.peakRssMb / small.peakRssMb).toFixed(2)} (floor < 1.5)`);
  }
  sink.proc.kill();
}

await main();
