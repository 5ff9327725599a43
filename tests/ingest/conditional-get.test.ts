import type http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/app/context.ts';
import { ingestDueSources } from '../../src/app/ingest-due-sources.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { fetchOnce } from '../helpers/fetch-once.ts';
import { runCli } from '../helpers/cli-run.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const T0 = '2026-12-01T08:00:00Z';
const minutes = (n: number) => new Date(Date.parse(T0) + n * 60_000);

function feed(version: string, titles: readonly string[]): string {
  const items = titles
    .map(
      (title, i) =>
        `<item><title>${title}</title><link>https://news.example/${version}/${i}</link>` +
        `<description>${title}. The harbour office wrote about ${title.toLowerCase()} in its weekly note.</description>` +
        `<pubDate>Tue, 01 Dec 2026 07:00:00 GMT</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour</title><link>https://news.example/</link>${items}</channel></rss>`;
}

/**
 * A feed server that counts requests, remembers the conditional headers it was sent and
 * answers 304 when they match. `mode` makes it misbehave on conditional requests only.
 */
function conditionalFeed() {
  const state = {
    etag: '"v1"' as string | null,
    lastModified: 'Tue, 01 Dec 2026 07:30:00 GMT' as string | null,
    body: feed('v1', ['Ferry timetable changes', 'New quay lights', 'Fish market opens']),
    mode: 'normal' as 'normal' | 'drop' | 'hang' | 'partial',
    requests: 0,
    conditionalRequests: [] as { ifNoneMatch?: string; ifModifiedSince?: string }[],
  };
  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    state.requests += 1;
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const conditional = Boolean(ifNoneMatch || ifModifiedSince);
    if (conditional) state.conditionalRequests.push({ ifNoneMatch, ifModifiedSince });
    if (conditional && state.mode === 'drop') return void req.socket.destroy();
    if (conditional && state.mode === 'hang') return; // never answers: the fetch deadline must end it
    const headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8' };
    if (state.etag) headers.etag = state.etag;
    if (state.lastModified) headers['last-modified'] = state.lastModified;
    if (conditional && state.mode === 'partial') {
      // A changed feed whose reply is lost half way: new validators arrive, the body never completes.
      res.writeHead(200, { ...headers, etag: '"half"', 'content-length': String(Buffer.byteLength(state.body)) });
      res.write(state.body.slice(0, 40));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    const matches = ifNoneMatch
      ? ifNoneMatch === state.etag
      : Boolean(ifModifiedSince && ifModifiedSince === state.lastModified);
    if (matches) return void res.writeHead(304, headers).end();
    res.writeHead(200, headers).end(state.body);
  };
  return { state, route };
}

describe('the HTTP client with validators', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => close?.());
  const limits = { maxBytes: 1 << 20, timeout: 2000, maxRedirects: 3, userAgent: 'TidingsTest' };

  it('returns the validators of a 200 and a bodiless notModified for a matching conditional request', async () => {
    const server = conditionalFeed();
    const fixture = await startFixtureServer({ '/feed.xml': server.route });
    close = fixture.close;
    const first = await fetchOnce(fixture.url('/feed.xml'), limits);
    expect(first.notModified).toBeUndefined();
    expect(first.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 07:30:00 GMT' });
    expect(first.bytes.length).toBeGreaterThan(100);

    const second = await fetchOnce(fixture.url('/feed.xml'), limits, { validators: first.validators });
    expect(second).toMatchObject({ notModified: true, location: fixture.url('/feed.xml') });
    expect(second.bytes.length).toBe(0);
    expect(server.state.conditionalRequests).toEqual([
      { ifNoneMatch: '"v1"', ifModifiedSince: 'Tue, 01 Dec 2026 07:30:00 GMT' },
    ]);

    // Last-Modified alone is enough for a server without ETags.
    server.state.etag = null;
    const byDate = await fetchOnce(fixture.url('/feed.xml'), limits, {
      validators: { etag: null, lastModified: first.validators!.lastModified },
    });
    expect(byDate.notModified).toBe(true);
    expect(server.state.requests).toBe(3);
  });

  it('refuses a 304 to a request that was not conditional, and keeps validator values to one line', async () => {
    let seen: string | undefined;
    const fixture = await startFixtureServer({
      '/always-304': (_q, r) => r.writeHead(304).end(),
      '/echo': (q, r) => {
        seen = q.headers['if-none-match'];
        r.writeHead(304).end();
      },
    });
    close = fixture.close;
    await expect(fetchOnce(fixture.url('/always-304'), limits)).rejects.toThrow(/304 .*not conditional/);
    const result = await fetchOnce(fixture.url('/echo'), limits, {
      validators: { etag: '"a"\r\nx-injected: 1', lastModified: null },
    });
    expect(result.notModified).toBe(true);
    expect(seen).toBe('"a" x-injected: 1');
  });
});

describe('ingestDueSources: each source on its own interval, fetched conditionally', () => {
  const tempDir = useTempDir();
  const contexts: AppContext[] = [];
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    for (const ctx of contexts.splice(0)) ctx.close();
    await close?.();
    close = null;
  });

  async function setUp(options: { timeout?: string } = {}) {
    const harbour = conditionalFeed();
    const weekly = conditionalFeed();
    weekly.state.etag = '"w1"';
    weekly.state.body = feed('w1', ['Weekly tide tables', 'Lighthouse open day', 'Rowing club results']);
    const fixture = await startFixtureServer({ '/harbour.xml': harbour.route, '/weekly.xml': weekly.route });
    close = fixture.close;
    const dir = tempDir();
    const file = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      file,
      `store: { path: t.db }
fetch: { timeout: ${options.timeout ?? '2s'} }
categories:
  local: { title: Local }
sources:
  - { name: harbour, type: feed, url: "${fixture.url('/harbour.xml')}", categories: [local] }
  - { name: weekly, type: feed, url: "${fixture.url('/weekly.xml')}", every: 2h, categories: [local] }
`,
    );
    const clock = createFixedClock(T0);
    const ctx = createAppContext({
      loaded: loadConfig(file, {}),
      clock,
      logger: createSilentLogger(),
      env: {},
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: process.stdout,
      templatesDir: path.resolve('templates'),
    });
    contexts.push(ctx);
    return { ctx, harbour, weekly, file, fixture };
  }

  it('fetches each source when its interval has elapsed and an unchanged feed costs one 304', async () => {
    const { ctx, harbour, weekly } = await setUp();
    const first = await ingestDueSources(ctx, minutes(0));
    expect(first.map((r) => [r.source, r.due, r.report?.new])).toEqual([
      ['harbour', true, 3],
      ['weekly', true, 3],
    ]);
    expect(first[0]!.nextDueAt).toBe(minutes(30).toISOString());
    expect(first[1]!.nextDueAt).toBe(minutes(120).toISOString());

    // Ten minutes later nothing is due: no request at all.
    const early = await ingestDueSources(ctx, minutes(10));
    expect(early.every((r) => !r.due && r.report === null)).toBe(true);
    expect([harbour.state.requests, weekly.state.requests]).toEqual([1, 1]);

    // After 30 minutes the default interval has elapsed for harbour only; its feed is unchanged.
    const later = await ingestDueSources(ctx, minutes(31));
    expect(later[0]).toMatchObject({
      source: 'harbour',
      due: true,
      report: { ok: true, notModified: true, new: 0, unchanged: 0 },
    });
    expect(later[1]).toMatchObject({ source: 'weekly', due: false, report: null });
    expect([harbour.state.requests, weekly.state.requests]).toEqual([2, 1]);
    expect(harbour.state.conditionalRequests).toEqual([
      { ifNoneMatch: '"v1"', ifModifiedSince: 'Tue, 01 Dec 2026 07:30:00 GMT' },
    ]);
    expect(await ctx.store.sources.getState('harbour')).toMatchObject({
      validators: { etag: '"v1"' },
      lastFetchedAt: minutes(31).toISOString(),
      lastOkAt: minutes(31).toISOString(),
      consecutiveFailures: 0,
    });

    // Forced (as the scheduler does before an edition): every source, still conditional.
    const forced = await ingestDueSources(ctx, minutes(35), { force: true });
    expect(forced.map((r) => r.report?.notModified)).toEqual([true, true]);
    expect([harbour.state.requests, weekly.state.requests]).toEqual([3, 2]);

    // A changed feed brings its new articles and new validators.
    harbour.state.etag = '"v2"';
    harbour.state.body = feed('v2', ['Harbour dredging begins', 'Storm warning for Thursday']);
    const changed = await ingestDueSources(ctx, minutes(70));
    expect(changed[0]!.report).toMatchObject({ ok: true, notModified: false, new: 2 });
    expect((await ctx.store.sources.getState('harbour'))!.validators.etag).toBe('"v2"');
    expect((await ctx.store.articles.listArticles()).length).toBe(8);

    // full: the validators are ignored, the feed is read and parsed again.
    const full = await ingestDueSources(ctx, minutes(71), {
      force: true,
      full: true,
      sources: [ctx.config.sources[0]!],
    });
    expect(full).toHaveLength(1);
    expect(full[0]!.report).toMatchObject({ ok: true, notModified: false, unchanged: 2 });
    expect(harbour.state.conditionalRequests).toHaveLength(3);
  });

  it.each([
    ['drops the connection', 'drop', 'SOURCE_FETCH'],
    ['never answers', 'hang', 'SOURCE_TIMEOUT'],
    ['loses the reply half way, after sending new validators', 'partial', 'SOURCE_FETCH'],
  ] as const)('keeps the stored validators when the server %s on a conditional request', async (_what, mode, code) => {
    const { ctx, harbour } = await setUp({ timeout: '400ms' });
    const sources = [ctx.config.sources[0]!];
    await ingestDueSources(ctx, minutes(0), { sources });
    const before = await ctx.store.sources.getState('harbour');
    expect(before!.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 07:30:00 GMT' });

    harbour.state.mode = mode;
    const failed = await ingestDueSources(ctx, minutes(40), { sources });
    expect(failed[0]!.report).toMatchObject({ ok: false, errorCode: code });
    const after = await ctx.store.sources.getState('harbour');
    expect(after).toMatchObject({
      validators: before!.validators,
      lastOkAt: minutes(0).toISOString(),
      lastFailedAt: minutes(40).toISOString(),
      lastErrorCode: code,
      consecutiveFailures: 1,
      totalFailures: 1,
    });
    expect(after!.lastError).toBeTruthy();
    expect((await ctx.store.articles.listArticles()).length).toBe(3);

    // A failed source is retried after its interval, with the old validators: the server is back.
    harbour.state.mode = 'normal';
    const recovered = await ingestDueSources(ctx, minutes(80), { sources });
    expect(recovered[0]!.report).toMatchObject({ ok: true, notModified: true });
    expect(await ctx.store.sources.getState('harbour')).toMatchObject({
      consecutiveFailures: 0,
      totalFailures: 1,
      validators: before!.validators,
    });
  });

  it('`tidings ingest` fetches conditionally and `--full` ignores the validators', async () => {
    const { file, harbour } = await setUp();
    const first = await runCli(['-q', '-c', file, 'ingest'], {}, T0);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/harbour\s+ok\s+new 3/);
    const second = await runCli(['-q', '-c', file, 'ingest'], {}, T0);
    expect(second.out).toMatch(/harbour\s+ok\s+not modified \(HTTP 304\)/);
    expect(second.out).toMatch(/weekly\s+ok\s+not modified/);
    const full = await runCli(['-q', '-c', file, 'ingest', '--full', '--source', 'harbour'], {}, T0);
    expect(full.out).toMatch(/harbour\s+ok\s+new 0, updated 0, unchanged 3/);
    expect(harbour.state.requests).toBe(3);
    expect(harbour.state.conditionalRequests).toHaveLength(1);
  });

  it('rejects a bad every in the configuration with its path', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'tidings.config.yaml');
    writeFileSync(file, 'sources:\n  - { name: a, type: feed, url: "http://127.0.0.1:9/a.xml", every: soon }\n');
    const { code, err } = await runCli(['-c', file, 'ingest']);
    expect(code).toBe(2);
    expect(err).toMatch(/sources\[0\]\.every: must be a duration/);
  });
});
