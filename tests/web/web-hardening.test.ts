import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import type { SubscriberService } from '../../src/app/subscribers/subscriber-service.ts';
import type { TidingsConfig } from '../../src/config/schema.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { createWebServer } from '../../src/web/create-web-server.ts';
import { createOpsMetrics } from '../../src/web/ops/metrics.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import {
  createSubscriberWorkspace,
  messagesTo,
  type SubscriberWorkspace,
} from '../app/support/subscriber-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { TEMPLATES_DIR } from './support/web-app.ts';

/**
 * The web surface against hostile use, over the real subscriber service and store: two
 * editions sent through a real SMTP server on 127.0.0.1 (`daily` is public, `weekly` is
 * not), and real servers listening on 127.0.0.1, each with the settings a test needs.
 */
const SLOT = '2026-11-28T07:00:00Z';
const NOW = '2026-11-28T07:00:30Z';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

type WebOverrides = Partial<Omit<TidingsConfig['web'], 'rateLimit'>> & {
  rateLimit?: Partial<TidingsConfig['web']['rateLimit']>;
};

describe('the web surface against hostile use', () => {
  const tempDir = useTempDir('tidings-web-hardening-');
  let sink: SmtpSink;
  let ws: SubscriberWorkspace;
  let service: SubscriberService;
  let ctx: AppContext;
  const servers: FastifyInstance[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', name: 'Ann', newsletters: ['daily'] },
      { email: 'bob@example.org', name: 'Bob', newsletters: ['weekly'] },
    ]);
    ws.addArticles(SLOT);
    for (const args of [
      ['ingest'],
      ['subscribers', 'sync'],
      ['send', 'daily', '--at', SLOT],
      ['send', 'weekly', '--at', SLOT],
    ]) {
      const result = await ws.cli(args, sink.url, NOW);
      expect(result.code, result.err).toBe(0);
    }
    ({ service, ctx } = ws.service(sink.url, NOW));
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    ws?.close();
    await sink?.close();
  });

  /** A server listening on 127.0.0.1 over the shared service, with `web` settings changed. */
  async function serve(overrides: WebOverrides = {}): Promise<string> {
    const web = { ...ctx.config.web, ...overrides, rateLimit: { ...ctx.config.web.rateLimit, ...overrides.rateLimit } };
    const app = await createWebServer({
      config: { ...ctx.config, web },
      subscribers: service,
      views: loadWebViews(TEMPLATES_DIR),
      logger: createSilentLogger(),
      clock: ctx.clock,
      checkHealth: async () => {},
      metrics: createOpsMetrics({
        readings: ctx.store,
        clock: ctx.clock,
        newsletterIds: ['daily', 'weekly'],
        nextRunFor: () => null,
        processMetrics: false,
      }),
    });
    servers.push(app);
    return app.listen({ host: '127.0.0.1', port: 0 });
  }

  it('shows a non-public edition only through the view-online link its email carries; public ones stay open', async () => {
    const base = await serve();
    const texts = await Promise.all(
      messagesTo(sink.messages, 'bob@example.org').map(async (m) => (await simpleParser(m.raw)).text ?? ''),
    );
    const viewUrl = texts
      .map((text) => /https:\/\/news\.example\.org(\/e\/weekly\/\S+\?k=[A-Za-z0-9_-]+)/.exec(text)?.[1])
      .find(Boolean);
    expect(viewUrl, 'the weekly email links its page with a key').toBeDefined();
    const guessed = await fetch(`${base}/e/weekly/2026-11-28T07:00`);
    expect(guessed.status).toBe(404);
    expect(await guessed.text()).not.toContain('Telescope survey');
    expect((await fetch(`${base}${viewUrl!.replace(/k=[^&]+/, 'k=AAAAAAAAAAAAAAAAAAAAAA')}`)).status).toBe(404);
    const viaEmail = await fetch(`${base}${viewUrl}`);
    expect(viaEmail.status).toBe(200);
    expect(await viaEmail.text()).toContain('Telescope survey');
    expect(viaEmail.headers.get('cache-control')).toMatch(/^private/);
    // The daily newsletter is public: its page needs no key.
    expect((await fetch(`${base}/e/daily/2026-11-28T07:00`)).status).toBe(200);
  });

  it("confirms a signup only from the page's POST button: HEAD and GET of the link change nothing", async () => {
    const base = await serve();
    const before = sink.messages.length;
    const signup = await fetch(`${base}/s/daily`, {
      method: 'POST',
      headers: FORM,
      body: 'email=scanned%40example.org&name=Sam',
    });
    expect(signup.status).toBe(200);
    await service.drain();
    const confirmation = sink.messages.slice(before).find((m) => m.to.includes('scanned@example.org'))!;
    const text = (await simpleParser(confirmation.raw)).text ?? '';
    const path = /https:\/\/news\.example\.org(\/s\/daily\/confirm\/[A-Za-z0-9_.-]+)/.exec(text)![1]!;
    expect((await fetch(`${base}${path}`, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(`${base}${path}`);
    expect(await page.text()).toContain(`<form method="post" action="${path}">`);
    expect((await service.exportByEmail('scanned@example.org')).subscriber).toBeNull();
    const pressed = await fetch(`${base}${path}`, { method: 'POST' });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('You are subscribed');
    expect((await service.exportByEmail('scanned@example.org')).subscriptions).toMatchObject([
      { newsletterId: 'daily', status: 'active' },
    ]);
  });

  it('takes IDN addresses as the subscriber lists do, and refuses a name with a link in it with a clear message', async () => {
    const base = await serve();
    const idn = await fetch(`${base}/s/daily`, {
      method: 'POST',
      headers: FORM,
      body: `email=${encodeURIComponent('user@bücher.example')}`,
    });
    expect(idn.status).toBe(200);
    expect(await idn.text()).toContain('Check your inbox');
    expect((await service.exportByEmail('user@bücher.example')).pendingSignups).toHaveLength(1);

    const linked = await fetch(`${base}/s/daily`, {
      method: 'POST',
      headers: FORM,
      body: `email=win%40example.org&name=${encodeURIComponent('Click http://evil.example/win')}`,
    });
    expect(linked.status).toBe(400);
    const form = await linked.text();
    expect(form).toContain('without web or email addresses');
    expect(form).toContain('name="email"');
    expect((await service.exportByEmail('win@example.org')).pendingSignups).toHaveLength(0);
  });

  it('answers a 2,000-character token with the 414 error page, not raw JSON', async () => {
    const base = await serve();
    const response = await fetch(`${base}/u/${'a'.repeat(1000)}.${'b'.repeat(1000)}`);
    expect(response.status).toBe(414);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('This request could not be read');
  });

  it('protects /metrics with its bearer token and never rate limits it', async () => {
    const base = await serve({ metricsToken: METRICS_TOKEN, rateLimit: { perMinute: 2 } });
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(
      (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status,
    ).toBe(401);
    for (let i = 0; i < 5; i++) {
      const scrape = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('tidings_editions');
    }
  });

  it('without a metrics token, serves /metrics to this machine only, never to a client a proxy forwards', async () => {
    const base = await serve({ trustProxy: true });
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    const forwarded = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(forwarded.status).toBe(403);
  });

  it('never limits the stylesheet, and its 429 page is styled and names the Retry-After it sends', async () => {
    const base = await serve({ rateLimit: { perMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/archive/daily`)).status).toBe(200);
    const limited = await fetch(`${base}/archive/daily`);
    expect(limited.status).toBe(429);
    const retryAfter = limited.headers.get('retry-after');
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const page = await limited.text();
    expect(page).toContain(`wait ${retryAfter} seconds`);
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(page)![1]!;
    for (let i = 0; i < 10; i++) expect((await fetch(`${base}${stylesheet}`)).status).toBe(200);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(204);
  });
});
