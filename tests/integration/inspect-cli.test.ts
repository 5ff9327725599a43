import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { ARTICLE_FIELDS } from '../../src/core/article.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { runCli } from '../helpers/cli-run.ts';

const PAGE = `<!doctype html><html lang="en"><head><title>Quay lights | Harbour Post</title>
<meta property="og:site_name" content="Harbour Post"><meta property="article:published_time" content="2026-11-20T09:00:00Z">
</head><body><nav>Home News Sport</nav><article><h1>Quay lights</h1>
<p>The council switched on new lights along the quay on Friday evening, after two years of planning and a long argument about cost.</p>
<p>Residents had complained for years that the path was too dark in winter, and the lights now follow the whole waterfront walk.</p>
<p>The new lamps use a fraction of the power of the old ones, the council said, and dim automatically after midnight.</p>
<p><a href="/more">Related</a></p></article><footer>© Harbour Post</footer></body></html>`;

describe('tidings inspect', () => {
  it('prints exactly the public fields for every article of every input, in input order, and carries on past a bad one', async () => {
    const server = await startFixtureServer({
      '/story': (_q, r) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
    });
    try {
      const inputs = [
        path.resolve('samples/articles/briefs.json'),
        '/definitely/not/here.txt',
        server.url('/story'),
        path.resolve('samples/articles/hospital-scheduling-outage.txt'),
        path.resolve('samples/feeds/harbor-herald.xml'),
      ];
      const result = await runCli(['-q', '-c', path.resolve('tidings.config.yaml'), 'inspect', '--json', ...inputs]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/\/definitely\/not\/here\.txt: no such file/);
      const articles = JSON.parse(result.out) as Record<string, unknown>[];
      expect(articles).toHaveLength(2 + 1 + 1 + 7);
      for (const article of articles) expect(Object.keys(article)).toEqual([...ARTICLE_FIELDS]);
      expect(articles[2]).toMatchObject({
        title: 'Quay lights',
        url: server.url('/story'),
        publishedAt: '2026-11-20T09:00:00.000Z',
        language: 'en',
        source: 'Harbour Post',
      });
      expect(String(articles[2]!.text)).not.toMatch(/Home News Sport|Harbour Post/);
      // The page dump comes out without its interface lines and with a summary.
      const dump = articles[3]!;
      expect(String(dump.text)).not.toMatch(/Add comment|Rate it/i);
      expect(dump.summary).toEqual(expect.any(String));
      // Keyword rules of the example configuration categorize it (ransomware, phishing).
      expect(dump.categories).toContain('security');
    } finally {
      await server.close();
    }
  });

  it('stops writing, without crashing, when the reader closes the pipe early (| head)', async () => {
    let writes = 0;
    // A pipe whose reader has gone: every write fails with EPIPE, as process.stdout does.
    const closedPipe = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const feed = path.resolve('samples/feeds/harbor-herald.xml');
    const code = await main(
      ['node', 'tidings', '-q', '-c', path.resolve('tidings.config.yaml'), 'inspect', feed, feed],
      {
        env: {},
        stdout: closedPipe,
        stderr: new Writable({ write: (_c, _e, done) => done() }),
      },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(0);
    expect(writes).toBe(1);
  });

  it('works without a configuration file in the current folder', async () => {
    const cwd = process.cwd();
    process.chdir(path.resolve('tests'));
    try {
      const result = await runCli([
        '-q',
        'inspect',
        '--json',
        path.resolve(cwd, 'samples/articles/coral-reef-survey.md'),
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out)[0].title).toMatch(/coral reef/);
    } finally {
      process.chdir(cwd);
    }
  });
});
