import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/core/logger.ts';
import { createWebServer } from '../../src/web/create-web-server.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import {
  createSubscriberWorkspace,
  linksOf,
  messagesTo,
  type SubscriberWorkspace,
} from '../app/support/subscriber-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { TEMPLATES_DIR } from './support/web-app.ts';

/**
 * The server over the real subscriber service, store and renderer (a sent edition in
 * SQLite), driven with `inject`: what the pages do with hostile article text and with
 * real links from a real message.
 */
const SLOT = '2026-11-28T07:00:00Z';
const NOW = '2026-11-28T07:00:30Z';
const HOSTILE_TITLE = `Breach <script>alert('t')</script> & <img src=x onerror=alert(1)> "quoted"`;

let app: FastifyInstance | null = null;
let sink: SmtpSink | null = null;
let ws: SubscriberWorkspace | null = null;
afterEach(async () => {
  await app?.close();
  await sink?.close();
  ws?.close();
  app = sink = ws = null;
});

describe('the web pages over the real subscriber service', () => {
  const tempDir = useTempDir('tidings-web-real-');

  async function sentEdition() {
    sink = await startSmtpSink();
    ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', name: 'Ann <b>Admin</b>', newsletters: ['daily'] },
    ]);
    ws.addArticles(SLOT);
    writeFileSync(
      path.join(ws.dir, 'articles', 'hostile.md'),
      `---\ntitle: ${JSON.stringify(HOSTILE_TITLE)}\nurl: https://desk.example.com/hostile?a=1&b="2"\ndate: 2026-11-28T06:30:00Z\ncategories: [Technology]\nlanguage: en\n---\n\n` +
        `A summary with <b>markup</b> & an </textarea> end tag. The second sentence says more about the breach. A third one closes it.\n`,
    );
    for (const args of [['ingest'], ['subscribers', 'sync'], ['send', 'daily', '--at', SLOT]]) {
      const result = await ws.cli(args, sink.url, NOW);
      expect(result.code, result.err).toBe(0);
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
    return { app, links: await linksOf(messagesTo(sink.messages, 'ann@example.org')[0]!) };
  }

  it('shows the whole edition on /e/ with hostile article fields escaped and no personal data', async () => {
    const { app, links } = await sentEdition();
    const response = await app.inject({ method: 'GET', url: '/e/daily/2026-11-28T07:00' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).not.toContain('script-src');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const html = response.body;
    expect(html).toContain('Breach &lt;script&gt;');
    expect(html).not.toContain("<script>alert('t')");
    expect(html).not.toMatch(/<img[^>]+onerror/i);
    expect(html).not.toContain('<b>markup</b>');
    for (const personal of ['ann@example.org', 'Ann', links.unsubscribe, links.preferences, '%%{'])
      expect(html).not.toContain(personal);
  });

  it('lists the sent edition in the archive and a valid Atom feed', async () => {
    const { app } = await sentEdition();
    const page = await app.inject({ method: 'GET', url: '/archive/daily' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/e/daily/2026-11-28T07%3A00"');
    const feed = await app.inject({ method: 'GET', url: '/archive/daily/feed.atom' });
    expect(XMLValidator.validate(feed.body)).toBe(true);
    expect(feed.body).toContain('<id>https://news.example.org/e/daily/2026-11-28T07%3A00</id>');
    expect((await app.inject({ method: 'GET', url: '/archive/weekly' })).statusCode).toBe(404);
  });

  it('unsubscribes with the real link once, idempotently, and a tampered link changes nothing', async () => {
    const { app, links } = await sentEdition();
    const token = links.unsubscribe;
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const bad = await app.inject({
      method: 'POST',
      url: `/u/${tampered}`,
      headers: form,
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/u/${token}` })).body).toContain(
      'name="List-Unsubscribe" value="One-Click"',
    );
    for (let i = 0; i < 2; i++) {
      const done = await app.inject({
        method: 'POST',
        url: `/u/${token}`,
        headers: form,
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(done.statusCode).toBe(200);
      expect(done.body).toContain('You are unsubscribed');
      expect(done.body).toContain('a***@example.org');
    }
    const prefs = await app.inject({ method: 'GET', url: `/p/${links.preferences}` });
    expect(prefs.statusCode).toBe(200);
    expect(prefs.body).not.toContain('<b>Admin</b>');
  });
});
