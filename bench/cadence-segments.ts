/**
 * Reader cadences (issue 26): how many segments a realistic mix makes, and what sending
 * three cadence streams costs against one send to the same readers.
 *
 *   npx tsx bench/cadence-segments.ts [--readers 20000] [--rounds 2] [--skip-send]
 *
 * 1. Segments (pure, planDigest as the send runs it): 20,000 readers, each on daily,
 *    weekly or monthly at random, with a random choice among 5 categories (all, or a
 *    random non-empty subset) and a random history (30% of weekly and monthly readers
 *    received each of their pool's stories from a daily with probability 1/4, as readers
 *    who read both would), or a switch-day history (30% of them switched from daily on one
 *    of six days and received the pool's stories of the dailies before it). The daily edition has 15 articles (3 per category);
 *    the weekly and monthly editions are ranked pools of 45 (9 per category).
 * 2. Send rate, same run, same readers, same SMTP sink (bench/send-sink.ts, its own
 *    process), each edition built before its send is timed: `tidings send single` (a newsletter without cadences) against `send multi`,
 *    `send multi.weekly`, `send multi.monthly` (the three streams of a newsletter offering
 *    all three; each reader on one). Rate = messages accepted / seconds of the send(s).
 *    Rounds alternate which goes first. Goal: the 3-cadence rate within 10% of the single one.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../src/config/load-config.ts';
import type { NewsletterConfig } from '../src/config/schema.ts';
import type { ArticleRecord } from '../src/core/stored-article.ts';
import { type Edition, type EditionArticle, snapshotOf } from '../src/editions/edition.ts';
import { planDigest } from '../src/editions/plan-digest.ts';
import { articleIdFor, contentHashFor } from '../src/ingest/normalize-article.ts';
import { openStore } from '../src/store/open-store.ts';
import { catalogFromConfig } from '../src/subscribers/subscriber-row.ts';
import { syncSubscribers } from '../src/subscribers/sync-subscribers.ts';
import { startSinkProcess } from './send-sink.ts';

const CATEGORIES = ['world', 'technology', 'science', 'business', 'health'];
/**
 * The 3-cadence newsletter's own sections: the same readers get both newsletters, and the
 * "never seen twice" rule holds across newsletters, so the two must not share articles.
 */
const multi = (slug: string) => `${slug}-m`;
const BOTH = [...CATEGORIES, ...CATEGORIES.map(multi)];
const CADENCES = ['daily', 'weekly', 'monthly'];
/** Monday the 1st: a slot of all three streams. */
const SLOT = new Date('2026-06-01T07:00:00Z');
const SECRET = 'bench-secret-0123456789abcdef';
/** Each round's slot: Mondays that are the 1st, so all three streams are due (at most five rounds). */
const ROUND_SLOTS = [
  SLOT,
  ...['2027-02-01', '2027-03-01', '2027-11-01', '2028-05-01'].map((d) => new Date(`${d}T07:00:00Z`)),
];

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A seeded generator (mulberry32): the same mix every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** All categories (null) one time in four, else a random non-empty subset. */
function chooseCategories(rand: () => number): string[] | null {
  if (rand() < 0.25) return null;
  const chosen = CATEGORIES.filter(() => rand() < 0.5);
  return chosen.length ? chosen : [CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!];
}

const WORDS =
  'harbour orchard glacier railway library vineyard observatory bakery lighthouse meadow quarry canal festival museum bridge reservoir council school clinic market ferry tunnel garden airport stadium factory'.split(
    ' ',
  );

function synthetic(rand: () => number, n: number, category: string, publishedAt: Date): ArticleRecord {
  const words = Array.from({ length: 6 }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  const title = `${words.slice(0, 3).join(' ')} report ${n}`;
  const url = `https://wire.example.org/${category}/${n}`;
  const text = `Report ${n}: the ${words.join(' and the ')} story number ${n * 7919}. Officials in district ${n} gave figures.`;
  return {
    id: articleIdFor(url, 'wire', title),
    url,
    title,
    text,
    summary: text,
    publishedAt: publishedAt.toISOString(),
    categories: [category],
    source: 'wire',
    sourceTitle: 'Wire',
    author: null,
    imageUrl: null,
    language: 'en',
    description: null,
    contentHash: contentHashFor(title, text),
    categoryOrigin: 'source',
  };
}

function editionOf(id: string, perCategory: number, rand: () => number): Edition {
  const articles: EditionArticle[] = CATEGORIES.map(multi).flatMap((category, c) =>
    Array.from({ length: perCategory }, (_, i) => {
      const record = synthetic(rand, c * 100 + i, category, SLOT);
      return {
        ...snapshotOf(record),
        articleId: `${id}-${category}-${i}`,
        category,
        position: i + 1,
        pinned: false,
        excluded: false,
      };
    }),
  );
  return {
    id,
    newsletterId: id.slice(0, id.indexOf('/')),
    slot: SLOT.toISOString(),
    status: 'approved',
    statusReason: null,
    intro: null,
    builtAt: SLOT.toISOString(),
    approvedAt: null,
    approvedBy: null,
    articles,
  };
}

function configYaml(): string {
  const newsletter = (id: string, categories: string[], extra: string) => `  - id: ${id}
    title: Morning Brief
    categories: [${categories.join(', ')}]
    maxArticles: 15
    perCategory: 3
    from: "Morning Brief <news@brief.example.org>"
    timezone: UTC
    schedule: "0 7 * * *"
    languages: any
${extra}`;
  return `store: { path: data/tidings.db }
categories:
${BOTH.map((slug) => `  ${slug}: { title: ${slug} }`).join('\n')}
newsletters:
${newsletter('single', CATEGORIES, '')}${newsletter('multi', CATEGORIES.map(multi), '    cadences: [daily, weekly, monthly]\n')}subscribers: { paths: [subscribers] }
transport: { type: smtp, url: "\${SMTP_URL}", maxConnections: 5, maxMessages: 100, rateLimit: 100000 }
delivery: { maxLateness: 3650d }
web: { baseUrl: "https://brief.example.org", secret: "\${TIDINGS_SECRET}" }
`;
}

/** Part 1: segments of a random mix, per stream, as planDigest keys them. */
function countSegments(readers: number): void {
  const config = parseConfig(parseYaml(configYaml()), { SMTP_URL: 'smtp://127.0.0.1:25', TIDINGS_SECRET: SECRET });
  const streams = new Map(config.newsletters.filter((n) => n.cadence).map((n) => [n.cadence!.name, n]));
  const rand = random(26);
  const editions = new Map<string, Edition>([
    ['daily', editionOf('multi/2026-06-01T07:00', 3, rand)],
    ['weekly', editionOf('multi.weekly/2026-06-01T07:00', 9, rand)],
    ['monthly', editionOf('multi.monthly/2026-06-01T07:00', 9, rand)],
  ]);
  const histories = ['none', 'random', 'switch-day'] as const;
  for (const history of histories) {
    const keys = new Map<string, Set<string>>(CADENCES.map((c) => [c, new Set()]));
    const mix = random(2026);
    let skipped = 0;
    for (let i = 0; i < readers; i++) {
      const cadence = CADENCES[Math.floor(mix() * CADENCES.length)]!;
      const categories = chooseCategories(mix);
      const edition = editions.get(cadence)!;
      const received = new Set<string>();
      if (history === 'random' && cadence !== 'daily' && mix() < 0.3)
        for (const article of edition.articles) if (mix() < 0.25) received.add(article.articleId);
      if (history === 'switch-day' && cadence !== 'daily' && mix() < 0.3) {
        // Switched from daily on day d of the period: the pool's stories of the dailies before d were received.
        const day = 1 + Math.floor(mix() * 6);
        edition.articles.forEach((article, i) => {
          if (i % 7 < day && (!categories || categories.map(multi).includes(article.category)))
            received.add(article.articleId);
        });
      }
      const stream = streams.get(cadence) as NewsletterConfig;
      const reader = { locale: 'en', timezone: 'UTC', categories: categories?.map(multi) ?? null };
      const plan = planDigest(edition, stream, config.categories, reader, received, null);
      if ('skip' in plan) skipped += 1;
      else keys.get(cadence)!.add(plan.segmentKey);
    }
    const per = CADENCES.map((c) => `${c} ${keys.get(c)!.size}`).join(', ');
    const total = [...keys.values()].reduce((sum, set) => sum + set.size, 0);
    console.log(
      `segments, ${history.padEnd(10)} history: ${total} (${per}); ${skipped} readers skipped (thin); ${readers} readers`,
    );
  }
}

/** Part 2's folder: the config, 31 days of articles (15 a day) and the readers, on daily, weekly or monthly at random. */
async function createWorkspace(dir: string, readers: number): Promise<string> {
  mkdirSync(path.join(dir, 'subscribers'), { recursive: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(configFile, configYaml());
  const out = createWriteStream(path.join(dir, 'subscribers', 'readers.csv'));
  out.write('email,newsletters,categories,locale,timezone,cadence\n');
  const mix = random(2026);
  for (let i = 0; i < readers; i++) {
    const cadence = CADENCES[Math.floor(mix() * CADENCES.length)]!;
    const categories = chooseCategories(mix);
    const chosen = (categories ?? []).flatMap((slug) => [`single:${slug}`, `multi:${multi(slug)}`]).join('|');
    if (!out.write(`reader${i}@example.org,single|multi,${chosen},en,UTC,multi:${cadence}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const config = parseConfig(parseYaml(configYaml()), { SMTP_URL: 'smtp://127.0.0.1:25', TIDINGS_SECRET: SECRET });
  const store = await openStore(config.store, (relative) => path.resolve(dir, relative));
  try {
    const rand = random(7);
    let n = 0;
    for (let day = 0; day < 31; day++) {
      const records = BOTH.flatMap((category) =>
        Array.from({ length: 3 }, (_, i) =>
          synthetic(rand, ++n, category, new Date(SLOT.getTime() - day * 86_400_000 - (1 + i * 6) * 3_600_000)),
        ),
      );
      await store.articles.saveArticles(records, new Date(SLOT.getTime() - day * 86_400_000));
    }
    const report = await syncSubscribers(
      store.subscribers,
      [path.join(dir, 'subscribers')],
      catalogFromConfig(config),
      { now: new Date(SLOT.getTime() - 40 * 86_400_000) },
    );
    if (!report.applied || report.added !== readers)
      throw new Error(`subscriber sync added ${report.added} of ${readers}`);
  } finally {
    await store.close();
  }
  return configFile;
}

/** `tidings <args>` in this process; the output's tail, or an error naming the command. */
async function cli(configFile: string, args: string[], port: number): Promise<string> {
  const { main } = await import('../src/cli/main.ts');
  let text = '';
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      text = (text + String(chunk)).slice(-4000);
      done();
    },
  });
  const code = await main(['node', 'tidings', '-q', '-c', configFile, ...args], {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, TIDINGS_SECRET: SECRET },
    stdout: sink,
    stderr: sink,
  });
  if (code !== 0) throw new Error(`tidings ${args.join(' ')} exited ${code}: ${text}`);
  return text;
}

/**
 * `tidings send <newsletter> --at <slot>` in this process, its edition built beforehand
 * (the scheduler builds it `prepareAhead`; a monthly pool ranks a month of stories, which
 * is building, not sending): seconds of the send and messages accepted.
 */
async function send(
  configFile: string,
  newsletter: string,
  at: Date,
  port: number,
): Promise<{ seconds: number; accepted: number }> {
  await cli(configFile, ['edition', 'build', newsletter, '--at', at.toISOString()], port);
  const started = performance.now();
  const text = await cli(configFile, ['send', newsletter, '--at', at.toISOString()], port);
  const seconds = (performance.now() - started) / 1000;
  const accepted = Number(/(\d+) accepted/.exec(text)?.[1] ?? Number.NaN);
  return { seconds, accepted };
}

/**
 * `--one-process`: the sends of one long-lived process, as `tidings start` runs them (one
 * context: the renderer, templates and store opened once), each edition built beforehand.
 */
async function sendInProcess(
  configFile: string,
  newsletter: string,
  at: Date,
  port: number,
): Promise<{ seconds: number; accepted: number }> {
  const { createAppContext } = await import('../src/app/context.ts');
  const { EditionPipeline } = await import('../src/app/edition-pipeline.ts');
  const { runSend } = await import('../src/app/run-send.ts');
  const { loadConfig } = await import('../src/config/load-config.ts');
  const { createFixedClock } = await import('../src/core/clock.ts');
  const { createLogger } = await import('../src/core/logger.ts');
  const env = { SMTP_URL: `smtp://127.0.0.1:${port}`, TIDINGS_SECRET: SECRET };
  processContext ??= createAppContext({
    loaded: loadConfig(configFile, env),
    clock: createFixedClock(at.toISOString()),
    logger: createLogger({ level: 'silent' }),
    env,
    out: () => {},
    err: () => {},
    interactive: false,
    stdout: new Writable({ write: (_chunk, _enc, done) => done() }),
    templatesDir: path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'templates'),
  });
  const ctx = processContext;
  (ctx.clock as ReturnType<typeof createFixedClock>).set(at.toISOString());
  await EditionPipeline.open(ctx, newsletter, at);
  const started = performance.now();
  const outcome = await runSend(ctx, newsletter, { at: at.toISOString(), force: true });
  const seconds = (performance.now() - started) / 1000;
  if (outcome.exitCode !== 0) throw new Error(`send ${newsletter}: ${outcome.lines.join(' ')}`);
  return { seconds, accepted: outcome.result?.accepted ?? Number.NaN };
}
let processContext: import('../src/app/context.ts').AppContext | null = null;

async function sendRates(readers: number, rounds: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-cadence-bench-'));
  const sinkProcess = await startSinkProcess();
  try {
    const configFile = await createWorkspace(dir, readers);
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Each round a later day (Mondays the 1st keep all three streams due): fresh editions, nobody sent yet.
      const at = ROUND_SLOTS[round % ROUND_SLOTS.length]!;
      if (round > 0) await shiftArticles(configFile, at);
      const sendOne = process.argv.includes('--one-process') ? sendInProcess : send;
      const single = async () => sendOne(configFile, 'single', at, sinkProcess.port);
      const multi = async () => {
        const parts = [];
        for (const stream of ['multi', 'multi.weekly', 'multi.monthly']) {
          parts.push(await sendOne(configFile, stream, at, sinkProcess.port));
          const part = parts.at(-1)!;
          console.log(`  ${stream}: ${part.accepted} in ${part.seconds.toFixed(1)} s`);
        }
        return parts.reduce((a, b) => ({ seconds: a.seconds + b.seconds, accepted: a.accepted + b.accepted }));
      };
      const [first, second] = round % 2 === 0 ? [single, multi] : [multi, single];
      const a = await first();
      const b = await second();
      const [one, three] = round % 2 === 0 ? [a, b] : [b, a];
      const ratio = three.accepted / three.seconds / (one.accepted / one.seconds);
      ratios.push(ratio);
      console.log(
        `round ${round + 1} (${round % 2 === 0 ? 'single first' : '3 cadences first'}): single ${one.accepted} in ${one.seconds.toFixed(1)} s ` +
          `= ${(one.accepted / one.seconds).toFixed(0)} msg/s; 3 cadences ${three.accepted} in ${three.seconds.toFixed(1)} s ` +
          `= ${(three.accepted / three.seconds).toFixed(0)} msg/s; ratio ${ratio.toFixed(3)}`,
      );
    }
    const mean = ratios.reduce((x, y) => x + y, 0) / ratios.length;
    console.log(
      `3-cadence send rate / single-cadence send rate: ${mean.toFixed(3)} (goal ≥ 0.90: ${mean >= 0.9 ? 'met' : 'NOT met'})`,
    );
  } finally {
    sinkProcess.stop();
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies the first round's articles to another slot's windows, so every round builds full editions. */
async function shiftArticles(configFile: string, at: Date): Promise<void> {
  const config = parseConfig(parseYaml(configYaml()), { SMTP_URL: 'smtp://127.0.0.1:25', TIDINGS_SECRET: SECRET });
  const store = await openStore(config.store, (relative) => path.resolve(path.dirname(configFile), relative));
  try {
    const rand = random(at.getTime() % 100_000);
    let n = Math.floor(at.getTime() / 1000);
    for (let day = 0; day < 31; day++) {
      const records = BOTH.flatMap((category) =>
        Array.from({ length: 3 }, (_, i) =>
          synthetic(rand, ++n, category, new Date(at.getTime() - day * 86_400_000 - (1 + i * 6) * 3_600_000)),
        ),
      );
      await store.articles.saveArticles(records, new Date(at.getTime() - day * 86_400_000));
    }
  } finally {
    await store.close();
  }
}

const readers = flag('--readers', 20_000);
countSegments(readers);
if (!process.argv.includes('--skip-send')) await sendRates(readers, flag('--rounds', 2));
