import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { runCli } from '../helpers/cli-run.ts';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const NOW = '2026-12-02T08:00:00Z';
const EDITION = 'daily/2026-12-02T08:00';

const PAGE = `<!doctype html><html lang="en"><head><title>Quantum chip cools itself | Lab News</title>
<meta property="og:site_name" content="Lab News"></head><body><nav>Home · About</nav>
<article><h1>Quantum chip cools itself with a new trick</h1>
<p>Researchers at a university lab built a quantum processor that removes its own heat while it computes.</p>
<p>The chip moves stray energy into a small reservoir next to the qubits, which keeps errors low for longer runs.</p>
<p>The team says the design could let larger machines run without the huge refrigerators used today.</p>
<p>Other groups plan to test the method on their own hardware over the next year.</p></article>
<footer>Contact us</footer></body></html>`;

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function setUp(dir: string, options: { allowPrivate: boolean; fetchTimeout?: string }) {
  const ws = createCliWorkspace(dir, { subscribers: ['ada@example.org'] });
  const fetchLines = [
    ...(options.allowPrivate ? ['  allowPrivateNetworks: true'] : []),
    ...(options.fetchTimeout ? [`  timeout: ${options.fetchTimeout}`] : []),
  ];
  if (fetchLines.length) appendFileSync(ws.configFile, `fetch:\n${fetchLines.join('\n')}\n`);
  ws.addArticles(NOW);
  const cli = (...args: string[]) =>
    runCli(['-q', '-c', ws.configFile, ...args], { SMTP_URL: 'smtp://127.0.0.1:1' }, NOW);
  expect((await cli('ingest')).code).toBe(0);
  expect((await cli('subscribers', 'sync')).code).toBe(0);
  expect((await cli('edition', 'build', 'daily', '--at', NOW)).code).toBe(0);
  const site = await startFixtureServer({
    '/story': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
    // Faults: a server that never answers, one that drops the connection halfway, one that fails.
    '/silent': () => {},
    '/dropped': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(PAGE.length) });
      res.write(PAGE.slice(0, 200));
      setTimeout(() => res.socket?.destroy(), 50);
    },
    '/broken': (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded'),
  });
  servers.push(site);
  return { cli, site };
}

describe('edition add-url ("add this link")', () => {
  const tempDir = useTempDir('tidings-addlink-');

  it('fetches a page from a local server, extracts and summarizes it, and adds it to the draft', async () => {
    const { cli, site } = await setUp(tempDir(), { allowPrivate: true });
    const added = await cli('edition', 'add-url', EDITION, site.url('/story'));
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toContain(`to ${EDITION}`);
    const shown = JSON.parse((await cli('edition', 'show', EDITION, '--json')).out);
    const article = shown.articles.find((a: { url: string }) => a.url === site.url('/story'));
    expect(article).toMatchObject({ title: 'Quantum chip cools itself', source: 'added-by-editor', excluded: false });
    expect(article.summary).toContain('removes its own heat');
    expect(article.summary).not.toContain('Contact us');
    expect(article.sourceTitle).not.toBe('added-by-editor');
    // Twice is refused: it is already in the edition.
    const again = await cli('edition', 'add-url', EDITION, site.url('/story'));
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('already in edition');
  }, 180_000);

  it('falls back to the title and summary the editor gives when the page cannot be fetched (the fetch policy refuses 127.0.0.1)', async () => {
    const { cli, site } = await setUp(tempDir(), { allowPrivate: false });
    // 127.0.0.1 is refused for a pasted link unless fetch.allowPrivateNetworks: the editor must type it in.
    const refused = await cli('edition', 'add-url', EDITION, site.url('/story'));
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('give a title and a summary by hand');
    const byHand = await cli(
      ...['edition', 'add-url', EDITION, site.url('/story')],
      ...['--title', 'A chip that cools itself', '--summary', 'A lab chip moves its own heat away.'],
    );
    expect(byHand.code).toBe(0);
    expect(byHand.err).toContain('not fetched');
    const shown = JSON.stringify(JSON.parse((await cli('edition', 'show', EDITION, '--json')).out));
    expect(shown).toContain('A chip that cools itself');
    expect(shown).toContain('A lab chip moves its own heat away.');
    expect(shown).not.toContain('removes its own heat');

    const notHttp = await cli('edition', 'add-url', EDITION, 'javascript:alert(1)', '--title', 'x');
    expect(notHttp.code).not.toBe(0);
    expect(notHttp.err).toContain('only http(s) links');
  }, 180_000);

  it('a page that times out, drops the connection or fails is named with its URL, and the editor words stand in', async () => {
    const { cli, site } = await setUp(tempDir(), { allowPrivate: true, fetchTimeout: '2s' });
    for (const [path, problem] of [
      ['/silent', /no complete response within 2000 ms/],
      ['/dropped', /closed|reset|aborted|terminated|incomplete|socket/i],
      ['/broken', /500/],
    ] as const) {
      const bare = await cli('edition', 'add-url', EDITION, site.url(path));
      expect(bare.code, `${path}: ${bare.err}`).not.toBe(0);
      expect(bare.err).toContain('give a title and a summary by hand');
      expect(bare.err).toMatch(problem);
      expect(bare.err).toContain(site.url(path));
      const byHand = await cli('edition', 'add-url', EDITION, site.url(path), '--title', `By hand ${path}`);
      expect(byHand.code, `${path}: ${byHand.err}`).toBe(0);
      expect(byHand.err).toContain('not fetched');
    }
    const shown = JSON.parse((await cli('edition', 'show', EDITION, '--json')).out);
    const added = shown.articles.filter((a: { source: string }) => a.source === 'added-by-editor');
    // One article per link, each the editor's title: nothing half-stored from the failed fetches.
    expect(added.map((a: { title: string }) => a.title).sort()).toEqual([
      'By hand /broken',
      'By hand /dropped',
      'By hand /silent',
    ]);
  }, 240_000);
});
