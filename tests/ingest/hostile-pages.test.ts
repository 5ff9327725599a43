import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

/**
 * Hostile pages, generated here, served from 127.0.0.1 and run through `tidings
 * ingest` with the default parse budget: each one is either parsed (flattened or cut,
 * with a warning) or fails its own source with a documented reason, while the other
 * sources of the same ingest are stored.
 */
const STORY = '<p>The harbour board opened the new ferry berth on Monday, two weeks ahead of the winter timetable.</p>';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${body}</article></body></html>`;
}

function nested(levels: number): string {
  return page(
    `Nested ${levels}`,
    `${STORY}${'<div>'.repeat(levels)}<p>Deepest words of the story.</p>${'</div>'.repeat(levels)}`,
  );
}

function fill(size: number, piece: (i: number) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    parts.push(piece(i));
    length += parts[parts.length - 1]!.length;
  }
  return parts.join('');
}

const TEN_MB = 10 * 1024 * 1024 - 4096; // just under fetch.maxBytes
const PAGES: Record<string, string> = {
  'nested-2000': nested(2000),
  'nested-10000': nested(10_000),
  'nested-100000': nested(100_000),
  'elements-200000': page('Many elements', `${STORY}${'<span>a</span>'.repeat(200_000)}`),
  'paragraphs-10mb': page(
    'Ten megabytes',
    fill(
      TEN_MB - 200,
      (i) => `<p>Paragraph ${i} of a very long report on the harbour, its berths and its ferries.</p>\n`,
    ),
  ),
};
const GOOD_FEED = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Quay</title>
<item><title>Quay lights switched on</title><link>https://quay.example/1</link><description>The council switched on the new quay lights on Friday.</description></item></channel></rss>`;

describe('hostile pages through tidings ingest', () => {
  const tempDir = useTempDir();
  let server: Awaited<ReturnType<typeof startFixtureServer>>;

  beforeAll(async () => {
    const routes: Parameters<typeof startFixtureServer>[0] = {
      '/good.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(GOOD_FEED),
    };
    for (const [name, html] of Object.entries(PAGES)) {
      routes[`/${name}.html`] = (_q, r) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    }
    server = await startFixtureServer(routes);
  });
  afterAll(async () => server.close());

  function writeConfig(dir: string, extra = ''): string {
    const sources = Object.keys(PAGES).map(
      (name) => `  - { name: ${name}, type: page, url: "${server.url(`/${name}.html`)}" }`,
    );
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      config,
      `store: { path: t.db }\n${extra}sources:\n${sources.join('\n')}\n  - { name: good, type: feed, url: "${server.url('/good.xml')}" }\n`,
    );
    return config;
  }

  it('flattens deep nesting, cuts a 10 MB page, fails pages over the element budget, and stores the rest', {
    timeout: 240_000,
  }, async () => {
    const dir = tempDir();
    const config = writeConfig(dir);
    const result = await runCli(['-q', '-c', config, 'ingest']);
    const out = result.out;
    const block = (name: string) => {
      const start = out.indexOf(`${name} `);
      const end = out.slice(start + 1).search(/\n\S/);
      return end < 0 ? out.slice(start) : out.slice(start, start + 1 + end);
    };
    expect(result.code).toBe(1); // the over-budget pages failed their sources

    for (const name of ['nested-2000', 'nested-10000']) {
      expect(block(name)).toMatch(new RegExp(`^${name}\\s+ok\\s+new 1`));
      expect(block(name)).toMatch(
        /warning elements nested \d+ levels deep; \d+ element\(s\) below 128 levels \(parse\.maxDepth\) were flattened/,
      );
    }
    for (const name of ['nested-100000', 'elements-200000']) {
      expect(block(name)).toMatch(
        new RegExp(
          `^${name}\\s+FAILED\\s+http://127\\.0\\.0\\.1:\\d+/${name}\\.html: the page has more than 50000 elements \\(parse\\.maxElements\\); not parsed`,
        ),
      );
    }
    expect(block('paragraphs-10mb')).toMatch(/^paragraphs-10mb\s+ok\s+new 1/);
    expect(block('paragraphs-10mb')).toMatch(
      /warning the page was cut after 500000 characters of text \(parse\.maxText\)/,
    );
    expect(block('good')).toMatch(/^good\s+ok\s+new 1/);

    const listed = await runCli(['-q', '-c', config, 'articles', '--json']);
    const articles = JSON.parse(listed.out) as { title: string; text: string; source: string }[];
    const bySource = new Map(articles.map((article) => [article.source, article]));
    expect([...bySource.keys()].sort()).toEqual(['good', 'nested-10000', 'nested-2000', 'paragraphs-10mb']);
    // Flattening keeps the words that were nested too deep.
    expect(bySource.get('nested-2000')!.text).toContain('Deepest words of the story.');
    expect(bySource.get('nested-10000')!.text).toContain('Deepest words of the story.');
    const long = bySource.get('paragraphs-10mb')!;
    expect(long.text.startsWith('Paragraph 0 of a very long report')).toBe(true);
    // About parse.maxText characters (paragraph breaks are counted once in the page, twice stored), not 10 MB.
    expect(long.text.length).toBeLessThan(600_000);
  });

  it('stops the parser at parse.timeout: the page fails with SOURCE_PARSE_TIMEOUT and the feed is stored', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'parse: { timeout: 1ms }\n');
    const result = await runCli(['-q', '-c', config, 'ingest', '--source', 'nested-2000']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /nested-2000\s+FAILED\s+\S+nested-2000\.html: parsing the page took longer than 1ms \(parse\.timeout\); stopped/,
    );
    const feed = await runCli(['-q', '-c', config, 'ingest', '--source', 'good']);
    expect(feed.out).toMatch(/good\s+ok\s+new 1/);
  });

  it('applies the same budget to a folder source and to tidings inspect', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'saved'));
    writeFileSync(path.join(dir, 'saved', 'deep.html'), nested(2000));
    writeFileSync(path.join(dir, 'saved', 'wide.html'), PAGES['elements-200000']!);
    mkdirSync(path.join(dir, 'ok'));
    writeFileSync(path.join(dir, 'ok', 'deep.html'), nested(10_000));
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      config,
      `store: { path: t.db }\nsources:\n  - { name: saved, type: folder, path: saved }\n  - { name: fine, type: folder, path: ok }\n`,
    );
    const result = await runCli(['-q', '-c', config, 'ingest']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /saved\s+FAILED\s+\S*saved: 1 of 2 files failed:\n\s+\S*saved\/wide\.html: the page has more than 50000 elements \(parse\.maxElements\)/,
    );
    expect(result.out).toMatch(/fine\s+ok\s+new 1/);
    expect(result.out).toMatch(/ok\/deep\.html: elements nested 10\d{3} levels deep/);

    const inspect = await runCli([
      '-q',
      '-c',
      config,
      'inspect',
      '--json',
      path.join(dir, 'saved', 'deep.html'),
      path.join(dir, 'saved', 'wide.html'),
    ]);
    expect(inspect.code).toBe(1);
    expect(inspect.err).toContain(
      `${path.join(dir, 'saved', 'wide.html')}: the page has more than 50000 elements (parse.maxElements)`,
    );
    expect(inspect.err).toMatch(
      /warning: \S+deep\.html: elements nested \d+ levels deep; \d+ element\(s\) below 128 levels/,
    );
    const articles = JSON.parse(inspect.out) as { text: string }[];
    expect(articles).toHaveLength(1);
    expect(articles[0]!.text).toContain('Deepest words of the story.');
  });
});
