import { writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/**
 * An excerpt-only feed whose pages live on a local server: one page answers (then 304
 * on the next run), one is a 404, one is disallowed by robots.txt, one never answers,
 * and one item is long enough to need no page.
 */
const paragraph = (topic: string, n: number) =>
  `<p>The ${topic} report, part ${n}, says the harbour board met on Tuesday to weigh the costs of dredging the channel, ` +
  `the timetable for new pontoons, the price of berths for visiting yachts and the plan to light the breakwater path at night.</p>`;
const page = (topic: string) =>
  `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${topic}</title></head><body><nav><a href="/">Home</a></nav>` +
  `<article><h1>${topic}</h1>${[1, 2, 3, 4, 5, 6].map((n) => paragraph(topic, n)).join('')}</article><footer>© Quay Post</footer></body></html>`;
const longText = Array.from({ length: 40 }, (_, i) => `Sentence ${i} of a long feed item about ferries.`).join(' ');

describe('full text for excerpt-only feed items', () => {
  const tempDir = useTempDir();
  const hits: Record<string, number> = {};
  let notModified = 0;
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  const hit = (name: string) => (hits[name] = (hits[name] ?? 0) + 1);

  beforeAll(async () => {
    const item = (title: string, link: string, text: string) =>
      `<item><title>${title}</title><link>${link}</link><pubDate>Fri, 27 Nov 2026 06:00:00 GMT</pubDate><description>${text}</description></item>`;
    const feed = (u: (path: string) => string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Post</title><link>${u('/')}</link><description>d</description>` +
      item('Dredging plan agreed', u('/news/dredging/'), 'The harbour board agreed a dredging plan on Tuesday.') +
      item('Pontoon prices', u('/news/gone'), 'Pontoon prices rise in spring.') +
      item('Members only', u('/private/minutes'), 'Minutes of the closed meeting.') +
      item('Slow story', u('/news/slow'), 'A page that never answers.') +
      item('Long item', u('/news/long'), longText) +
      item('Dropped story', u('/news/dropped'), 'A page whose connection drops halfway.') +
      '</channel></rss>';
    server = await startFixtureServer({
      '/feed.xml': (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(server.url));
      },
      // The same feed with its links on the host name it was asked by (localhost).
      '/feed-by-name.xml': (q, r) => {
        r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
          feed((path) => `http://${q.headers.host}${path}`),
        );
      },
      '/robots.txt': (_q, r) => {
        hit('robots');
        r.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\nAllow: /news/\n');
      },
      '/news/dredging/': (q: http.IncomingMessage, r) => {
        hit('dredging');
        if (q.headers['if-none-match'] === '"v1"') {
          notModified += 1;
          r.writeHead(304, { etag: '"v1"' }).end();
          return;
        }
        r.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: '"v1"' }).end(page('Dredging'));
      },
      '/news/gone': (_q, r) => {
        hit('gone');
        r.writeHead(404, { 'content-type': 'text/plain' }).end('no such page');
      },
      '/private/minutes': (_q, r) => {
        hit('private');
        r.writeHead(200, { 'content-type': 'text/html' }).end(page('Secret'));
      },
      '/news/slow': () => hit('slow'), // never answers
      '/news/dropped': (_q, r) => {
        hit('dropped');
        r.writeHead(200, { 'content-type': 'text/html', 'content-length': '5000' });
        r.write('<html><body><article><p>The first half');
        setTimeout(() => r.socket?.destroy(), 20);
      },
      '/news/long': (_q, r) => {
        hit('long');
        r.writeHead(200, { 'content-type': 'text/html' }).end(page('Long'));
      },
    });
  });
  afterAll(async () => server.close());

  function project(fetchYaml: string, feedUrl = server.url('/feed.xml')): string {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'tidings.config.yaml'),
      `store: { path: data/t.db }
fetch: { timeout: 1500ms${fetchYaml} }
fullText: { minWords: 100, perHostDelay: 0ms, maxConcurrent: 2 }
sources:
  - { name: quay-post, type: feed, url: "${feedUrl}" }
`,
    );
    return path.join(dir, 'tidings.config.yaml');
  }

  it('fetches the pages of short items, keeps excerpts where it cannot, honours robots.txt, and asks conditionally the next time', async () => {
    const config = project(', allowPrivateNetworks: true');
    const first = await runCli(['-q', '-c', config, 'ingest']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/quay-post\s+ok\s+new 6/);
    expect(first.out).toMatch(
      /warning full text of \S+\/news\/dropped not fetched: connection closed before the body was complete; the feed's excerpt is kept/,
    );
    expect(first.out).toMatch(
      /warning full text of \S+\/news\/gone not fetched: HTTP 404 Not Found.*the feed's excerpt is kept/,
    );
    expect(first.out).toMatch(/warning full text of \S+\/private\/minutes not fetched: robots.txt disallows it/);
    expect(first.out).toMatch(
      /warning full text of \S+\/news\/slow not fetched: .*1500 ms.*the feed's excerpt is kept/,
    );
    expect(hits).toMatchObject({ robots: 1, dredging: 1, gone: 1 });
    expect(hits.private).toBeUndefined();
    expect(hits.long).toBeUndefined();

    const store = openSqliteStore(path.join(path.dirname(config), 'data/t.db'));
    try {
      const articles = await store.articles.listArticles({});
      const byTitle = new Map(articles.map((article) => [article.title, article]));
      const dredging = byTitle.get('Dredging plan agreed')!;
      expect(dredging.url).toBe(server.url('/news/dredging/'));
      expect(dredging.text).toContain('The Dredging report, part 6, says the harbour board met');
      expect(dredging.text).not.toContain('© Quay Post');
      // The feed's own text is kept as the description, for the summary to prefer.
      expect(dredging.description).toBe('The harbour board agreed a dredging plan on Tuesday.');
      // The feed declares no language; the fetched page does, and its text is the page's.
      expect(dredging.language).toBe('en-gb');
      expect(byTitle.get('Pontoon prices')!.language).toBeNull();
      expect(byTitle.get('Pontoon prices')!.text).toBe('Pontoon prices rise in spring.');
      expect(byTitle.get('Members only')!.text).toBe('Minutes of the closed meeting.');
      expect(byTitle.get('Long item')!.text).toBe(longText);
      expect(byTitle.get('Dropped story')!.text).toBe('A page whose connection drops halfway.');
    } finally {
      store.close();
    }

    const second = await runCli(['-q', '-c', config, 'ingest']);
    expect(second.code).toBe(0);
    expect(notModified).toBe(1);
    expect(second.out).toMatch(/quay-post\s+ok\s+new 0, updated 0, unchanged 6/);
  }, 30_000);

  it('refuses pages on 127.0.0.1 by default, with a clear warning; the configured feed URL itself is fetched', async () => {
    const before = hits.dredging ?? 0;
    const config = project('');
    const run = await runCli(['-q', '-c', config, 'ingest']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/quay-post\s+ok\s+new 6/);
    expect(run.out).toMatch(
      /warning full text of http:\/\/127\.0\.0\.1:\d+\/news\/dredging\/ not fetched: .*127\.0\.0\.1 is not a public address \(loopback\) \(set fetch\.allowPrivateNetworks: true to allow it\)/,
    );
    expect(hits.dredging ?? 0).toBe(before);
  }, 30_000);

  it('refuses pages on localhost although the configured feed on localhost was fetched first (no kept-alive socket shared)', async () => {
    const before = { dredging: hits.dredging ?? 0, robots: hits.robots ?? 0 };
    const config = project('', server.url('/feed-by-name.xml').replace('127.0.0.1', 'localhost'));
    const run = await runCli(['-q', '-c', config, 'ingest']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/quay-post\s+ok\s+new 6/);
    expect(run.out).toMatch(
      /warning full text of http:\/\/localhost:\d+\/news\/dredging\/ not fetched: .*localhost resolves to [0-9a-f.:]+, which is not a public address \(loopback\)/,
    );
    // Neither robots.txt nor any page went out over the feed's kept-alive connection.
    expect({ dredging: hits.dredging ?? 0, robots: hits.robots ?? 0 }).toEqual(before);
  }, 30_000);
});
