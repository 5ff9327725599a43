import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const HOLDER = path.resolve(import.meta.dirname, '../fixtures/store/hold-write-lock.mjs');
const HOLD_MS = 8_000;
const SLOT = '2026-03-02T07:00:00Z';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The CLI (from the sources) with `-c <config> ...args`: a second process on the same SQLite file. */
function runBin(configFile: string, args: string[]): Promise<Exit> {
  return collect(
    spawn(process.execPath, tidingsProcessArgs('-q', '-c', configFile, ...args), {
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** Starts the lock holder and resolves once it holds the write lock, with its exit to come. */
async function holdWriteLock(dbFile: string): Promise<{ done: Promise<Exit> }> {
  const child = spawn(process.execPath, [HOLDER, dbFile, String(HOLD_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const done = collect(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', () => reject(new Error('the lock holder exited before locking')));
  });
  return { done };
}

function writeArticles(dir: string, from: number, count: number): void {
  for (let n = from; n < from + count; n++) {
    writeFileSync(
      path.join(dir, `story-${n}.md`),
      `---\ntitle: Harbour story number ${n}\nurl: https://desk.example.com/story-${n}\ndate: 2026-03-02T05:00:00Z\ncategories: [Technology]\nlanguage: en\n---\n\n` +
        `The harbour office published report ${n} this morning. Ferries ran on time for the ${n}th day in a row. ` +
        `Crews credited a new scheduling system installed in spring. Passengers said the queues were shorter.\n`,
    );
  }
}

function rssFeed(count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Wire story ${i + 1} about the ferry timetable</title><link>https://wire.example.com/story-${i + 1}</link>` +
      `<pubDate>Mon, 02 Mar 2026 05:00:00 GMT</pubDate><category>Technology</category>` +
      `<description>The ferry office changed timetable ${i + 1} today. Crews said the new schedule saves time. Passengers welcomed shorter queues at the quay.</description></item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example.com/</link>${items}</channel></rss>`;
}

/**
 * A feed whose response waits for the test: `requested` resolves when the ingest process
 * asks for it (so it has started and is about to write), `release()` sends the feed.
 */
async function startGatedFeed(count: number) {
  let onRequest!: () => void;
  const requested = new Promise<void>((resolve) => (onRequest = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = await startFixtureServer({
    '/feed.xml': (_request, response) => {
      onRequest();
      void released.then(() => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed(count)));
    },
  });
  servers.push(server);
  return { url: server.url('/feed.xml'), requested, release };
}

/**
 * The ingest process asks for the feed, the holder takes the write lock, then the feed is
 * sent: the ingest parses it and must wait for the lock for most of HOLD_MS.
 */
async function ingestBehindHeldLock(
  configFile: string,
  dbFile: string,
  feed: Awaited<ReturnType<typeof startGatedFeed>>,
  beside: Promise<Exit>[] = [],
) {
  const ingest = runBin(configFile, ['ingest']);
  await feed.requested;
  const holder = await holdWriteLock(dbFile);
  feed.release();
  const [ingestExit, holderExit, ...others] = await Promise.all([ingest, holder.done, ...beside]);
  expect(holderExit.code, holderExit.stderr).toBe(0);
  return { ingest: ingestExit, others };
}

function createProject(dir: string, options: { readers?: number; storeExtra?: string; feedUrl: string }): string {
  mkdirSync(path.join(dir, 'articles'));
  mkdirSync(path.join(dir, 'subscribers'));
  writeFileSync(
    path.join(dir, 'subscribers', 'list.csv'),
    `email,newsletters\n${Array.from({ length: options.readers ?? 1 }, (_, i) => `reader${i + 1}@example.org,daily`).join('\n')}\n`,
  );
  const configFile = path.join(dir, 'tidings.config.yaml');
  writeFileSync(
    configFile,
    `store:\n  path: data/tidings.db\n${options.storeExtra ?? ''}categories:\n  technology:\n    title: Technology\n` +
      `sources:\n  - name: desk\n    type: folder\n    path: articles\n  - name: wire\n    type: feed\n    url: ${options.feedUrl}\n` +
      `newsletters:\n  - id: daily\n    title: Daily\n    categories: [technology]\n    window: 24h\n    minArticles: 2\n    from: "Daily <digest@news.example.org>"\n` +
      `transport:\n  type: outbox\n  dir: outbox\nweb:\n  secret: concurrent-writers-test-secret-0123\n`,
  );
  return configFile;
}

const count = (dbFile: string, sql: string) => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
};

describe('writers on one SQLite file wait their turn', () => {
  const tempDir = useTempDir('tidings-locks-');

  it(`an ingest in another process finishes while a writer holds the lock for ${HOLD_MS / 1000} s (beyond the old 5 s timeout)`, async () => {
    const dir = tempDir();
    const feed = await startGatedFeed(5);
    const configFile = createProject(dir, { feedUrl: feed.url });
    const dbFile = path.join(dir, 'data', 'tidings.db');
    writeArticles(path.join(dir, 'articles'), 1, 3);
    expect((await runCli(['-q', '-c', configFile, 'subscribers', 'sync'])).code).toBe(0);

    const { ingest } = await ingestBehindHeldLock(configFile, dbFile, feed);
    expect(ingest.stderr).not.toMatch(/locked|BUSY/);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/wire\s+ok\s+new 5, updated 0, unchanged 0/);
    // The holder committed before the ingest could write: its row and every article are there.
    expect(count(dbFile, 'SELECT COUNT(*) AS n FROM articles')).toEqual([{ n: 8 }]);
    expect(count(dbFile, `SELECT summary FROM summary_cache WHERE content_hash = 'lock-holder'`)).toEqual([
      { summary: 'held' },
    ]);
  }, 60_000);

  it('an ingest beside a send: both wait behind a held lock, both finish, nothing is lost or sent twice', async () => {
    const dir = tempDir();
    const readers = 200;
    const feed = await startGatedFeed(60);
    const configFile = createProject(dir, { readers, feedUrl: feed.url });
    const dbFile = path.join(dir, 'data', 'tidings.db');
    writeArticles(path.join(dir, 'articles'), 1, 4);
    // The first articles come in without the feed (its source fails while the gate is closed: no matter).
    await runCli(['-q', '-c', configFile, 'ingest', '--source', 'desk']);
    expect((await runCli(['-q', '-c', configFile, 'subscribers', 'sync'])).code).toBe(0);

    const send = runBin(configFile, ['send', 'daily', '--at', SLOT, '--force']);
    const { ingest, others } = await ingestBehindHeldLock(configFile, dbFile, feed, [send]);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/wire\s+ok\s+new 60, updated 0, unchanged 0/);
    expect(others[0]!.code, others[0]!.stderr).toBe(0);
    expect(others[0]!.stdout).toMatch(new RegExp(`${readers} accepted, 0 failed`));
    expect(count(dbFile, 'SELECT COUNT(*) AS n FROM articles')).toEqual([{ n: 64 }]);
    expect(count(dbFile, 'SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status')).toEqual([
      { status: 'accepted', n: readers },
    ]);
  }, 90_000);

  it('with a busy timeout shorter than the holder, the source fails with one STORE_FAILED line and the store keeps what it had', async () => {
    const dir = tempDir();
    const feed = await startGatedFeed(5);
    const configFile = createProject(dir, { storeExtra: '  busyTimeout: 1s\n', feedUrl: feed.url });
    const dbFile = path.join(dir, 'data', 'tidings.db');
    writeArticles(path.join(dir, 'articles'), 1, 3);
    expect((await runCli(['-q', '-c', configFile, 'subscribers', 'sync'])).code).toBe(0);

    const { ingest } = await ingestBehindHeldLock(configFile, dbFile, feed);
    expect(ingest.code).toBe(1);
    expect(ingest.stdout).toMatch(/wire\s+FAILED\s+.*store error SQLITE_BUSY: database is locked/);
    expect(ingest.stdout + ingest.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // The folder came first and was saved; the feed left nothing half written.
    expect(count(dbFile, 'SELECT source, COUNT(*) AS n FROM articles GROUP BY source')).toEqual([
      { source: 'desk', n: 3 },
    ]);
  }, 60_000);
});
