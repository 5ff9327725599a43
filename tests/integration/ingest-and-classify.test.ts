import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/** Short invented stories whose vocabulary separates the two categories. */
const SPORT = [
  'The striker scored twice as the home side won the league match in extra time.',
  'The coach praised the goalkeeper after a clean sheet in the cup semi-final.',
  'Fans cheered as the team lifted the trophy after a penalty shoot-out.',
  'The midfielder signed a new contract with the club until the end of the season.',
];
const MARKETS = [
  'Shares fell as investors worried about interest rates and weak quarterly profits.',
  'The central bank kept rates on hold while inflation eased for a third month.',
  'Bond yields rose after the treasury announced more borrowing to fund the deficit.',
  'The company reported higher revenue and raised its dividend for shareholders.',
];

function rss(items: { title: string; body: string; category?: string; link: string }[]): string {
  const entries = items
    .map(
      (item) => `<item><title>${item.title}</title><link>${item.link}</link>
        ${item.category ? `<category>${item.category}</category>` : ''}
        <description>${item.body} ${item.body}</description><pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${entries}</channel></rss>`;
}

describe('ingest over HTTP, then classify from what the store learned', () => {
  const tempDir = useTempDir();
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => close?.());

  it('labels a feed without categories using the one with categories, and keeps failures apart', async () => {
    const labelled = rss([
      ...SPORT.map((body, i) => ({
        title: `Match report ${i}`,
        body,
        category: 'Football',
        link: `https://example.org/s${i}`,
      })),
      ...MARKETS.map((body, i) => ({
        title: `Markets today ${i}`,
        body,
        category: 'Markets',
        link: `https://example.org/m${i}`,
      })),
    ]);
    const unlabelled = rss([
      {
        title: 'Late winner for the visitors',
        body: 'The striker scored a late goal and the team won the match; the coach and fans celebrated the league win.',
        link: 'https://example.org/u1',
      },
      {
        title: 'Investors await the rate decision',
        body: 'Shares and bond yields moved as investors waited for the central bank decision on interest rates and inflation.',
        link: 'https://example.org/u2',
      },
    ]);
    const server = await startFixtureServer({
      '/labelled.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(labelled),
      '/unlabelled.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(unlabelled),
    });
    close = server.close;
    const dir = tempDir();
    const configFile = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      configFile,
      `store: { path: t.db }
categories:
  sport: { title: Sport, aliases: [football] }
  business: { title: Business, aliases: [markets] }
sources:
  - { name: labelled, type: feed, url: "${server.url('/labelled.xml')}" }
  - { name: broken, type: feed, url: "${server.url('/missing.xml')}" }
  - { name: unlabelled, type: feed, url: "${server.url('/unlabelled.xml')}" }
`,
    );
    const { code, out } = await runCli(['-q', '-c', configFile, 'ingest']);
    expect(code).toBe(1);
    expect(out).toMatch(/labelled\s+ok\s+new 8/);
    expect(out).toMatch(/broken\s+FAILED\s+.*missing\.xml.*404/);
    expect(out).toMatch(/unlabelled\s+ok\s+new 2/);

    const store = openSqliteStore(path.join(dir, 't.db'));
    const byUrl = new Map((await store.articles.listArticles()).map((a) => [a.url, a]));
    expect(byUrl.get('https://example.org/u1')).toMatchObject({ categories: ['sport'], categoryOrigin: 'classifier' });
    expect(byUrl.get('https://example.org/u2')).toMatchObject({
      categories: ['business'],
      categoryOrigin: 'classifier',
    });
    expect(byUrl.get('https://example.org/u1')!.summary).toBeTruthy();
    store.close();

    // A second run stores nothing new.
    const again = await runCli(['-q', '-c', configFile, 'ingest', '--source', 'labelled']);
    expect(again.out).toMatch(/labelled\s+ok\s+new 0, updated 0, unchanged 8/);
  });
});
