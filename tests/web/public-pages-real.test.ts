import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/core/logger.ts';
import { createWebServer } from '../../src/web/create-web-server.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import { createSubscriberWorkspace, type SubscriberWorkspace } from '../app/support/subscriber-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { TEMPLATES_DIR } from './support/web-app.ts';
import { requireSecret } from '../../src/app/edition-pipeline.ts';
import { signEditionView } from '../../src/delivery/subscriber-token.ts';

/**
 * The public pages a web reader sees (`/e/`, the archive, its Atom feed) from a real
 * server on 127.0.0.1 over the real service, store and renderer, after two real sends.
 */
const SLOTS = ['2026-11-27T07:00:00Z', '2026-11-28T07:00:00Z'];
const NOW = '2026-11-28T07:00:30Z';

let app: FastifyInstance | null = null;
let sink: SmtpSink | null = null;
let ws: SubscriberWorkspace | null = null;
afterEach(async () => {
  await app?.close();
  await sink?.close();
  ws?.close();
  app = sink = ws = null;
});

describe('the public pages of sent editions, over HTTP', () => {
  const tempDir = useTempDir('tidings-public-pages-');

  /** Two sent editions of `daily` (public, signup on); returns the server's URL and each slot's titles. */
  async function twoSentEditions() {
    sink = await startSmtpSink();
    ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', name: 'Ann', newsletters: ['daily', 'weekly'] },
    ]);
    const titles: string[][] = [];
    for (const slot of SLOTS) {
      titles.push(Object.values(ws.addArticles(slot)));
      for (const args of [
        ['ingest'],
        ['subscribers', 'sync'],
        ['send', 'daily', '--at', slot],
        ['send', 'weekly', '--at', slot],
      ]) {
        const result = await ws.cli(args, sink.url, new Date(Date.parse(slot) + 30_000).toISOString());
        expect(result.code, `${args.join(' ')}: ${result.err} ${result.out}`).toBe(0);
      }
    }
    const { service, ctx } = ws.service(sink.url, NOW);
    app = await createWebServer({
      config: ctx.config,
      subscribers: service,
      views: loadWebViews(TEMPLATES_DIR),
      logger: createSilentLogger(),
      clock: { now: () => new Date(NOW) },
      checkHealth: async () => {},
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    return { base, titles, service, ctx };
  }

  it('gives /e/ a footer for a web reader: no address, no per-reader links, the archive and signup instead', async () => {
    const { base, service, ctx } = await twoSentEditions();
    const response = await fetch(`${base}/e/daily/2026-11-28T07:00`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/sent to/i);
    for (const gone of ['View in browser', 'Unsubscribe', 'Manage preferences', '%%{'])
      expect(html).not.toContain(gone);
    expect(html).toContain('You are reading Test Daily on the web.');
    expect(html).toMatch(/<a href="https:\/\/news\.example\.org\/archive\/daily"[^>]*>All editions<\/a>/);
    expect(html).toMatch(/<a href="https:\/\/news\.example\.org\/s\/daily"[^>]*>Subscribe<\/a>/);
    // A newsletter with neither a public archive nor signup: the note alone, no dead links.
    // Not public: read with the key its emails carry.
    const weekly = await service.editionForWeb(
      'weekly/2026-11-28T07:00',
      signEditionView('weekly/2026-11-28T07:00', requireSecret(ctx)),
    );
    expect(weekly.html).toContain('You are reading Test Weekly on the web.');
    expect(weekly.html).not.toContain('/archive/weekly');
    expect(weekly.html).not.toContain('/s/weekly');
    expect(weekly.text).not.toContain('View in browser');
    expect(weekly.text).not.toContain('Unsubscribe');
  });

  it('lists each edition in the archive by its top story headline and date', async () => {
    const { base, titles } = await twoSentEditions();
    const html = await (await fetch(`${base}/archive/daily`)).text();
    const rows = [...html.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a> <span class="meta">([^<]+)<\/span><\/li>/g)].map(
      (m) => ({ path: m[1], headline: m[2], meta: m[3] }),
    );
    expect(rows.map((row) => row.path)).toEqual(['/e/daily/2026-11-28T07%3A00', '/e/daily/2026-11-27T07%3A00']);
    // Newest first: the top story is one of that slot's two articles, the other is named as a lead.
    expect(titles[1]).toContain(rows[0]!.headline);
    expect(titles[0]).toContain(rows[1]!.headline);
    expect(rows[0]!.meta).toMatch(/^Nov 28, 2026 · /);
    expect(rows[1]!.meta).toMatch(/^Nov 27, 2026 · /);
    expect(rows[0]!.meta).toContain(titles[1]!.find((t) => t !== rows[0]!.headline));
  });

  it("carries each edition's top stories as the Atom summary and its web page as the content", async () => {
    const { base, titles } = await twoSentEditions();
    const xml = await (await fetch(`${base}/archive/daily/feed.atom`)).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const entries = new XMLParser({ ignoreAttributes: false, textNodeName: '#text' }).parse(xml).feed.entry as Record<
      string,
      { '#text': string; '@_type': string }
    >[];
    expect(entries).toHaveLength(2);
    entries.forEach((entry, index) => {
      const slotTitles = titles[1 - index]!;
      expect(entry.summary!['@_type']).toBe('text');
      for (const title of slotTitles) expect(entry.summary!['#text']).toContain(title);
      expect(entry.content!['@_type']).toBe('html');
      const content = entry.content!['#text'];
      // The parser hands back the escaped markup as text: the edition's own HTML, without head or personal tokens.
      expect(content).toMatch(/^<div|^<table|^</);
      for (const title of slotTitles) expect(content).toContain(title);
      expect(content).toContain('You are reading Test Daily on the web.');
      expect(content).not.toContain('<head');
      expect(content).not.toContain('%%{');
    });
    expect(xml).not.toMatch(/<content type="html"><(?!\/)/);
  });
});
