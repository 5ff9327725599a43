import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickOperationsFromContext } from '../../src/app/clicks/click-operations.ts';
import { EditionPipeline } from '../../src/app/edition-pipeline.ts';
import { resolveReader } from '../../src/app/resolve-reader.ts';
import { signPayload } from '../../src/core/signed-payload.ts';
import { signClickToken, verifyClickToken, type ClickTarget } from '../../src/render/click-links.ts';
import { signImageToken } from '../../src/render/image-links.ts';
import { createClickRoutes } from '../../src/web/public/click-routes.ts';
import { createOpsMetrics } from '../../src/web/ops/metrics.ts';
import { AT, EDITION, PASSWORDS, SECRET, startDeskServer, type DeskServer } from '../desk/support/desk-server.ts';

/** What Chrome sends when a reader clicks a link in a webmail tab or a mail app opens it. */
const BROWSER = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-site': 'none',
};
/** Safari before Fetch Metadata: no Sec-Fetch-* headers, but it asks for HTML. */
const OLD_SAFARI = {
  'user-agent':
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Safari/605.1.15',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
};

/**
 * A simulated mail security gateway and its friends: each opens every link of a message
 * the way such tools do (HEAD checks, their own agents, library defaults without
 * navigation headers, a browser agent without navigation headers, prefetches).
 */
const SCANNER_REQUESTS: { method: string; headers: Record<string, string> }[] = [
  { method: 'HEAD', headers: BROWSER },
  { method: 'GET', headers: { 'user-agent': 'Mozilla/5.0 (compatible; Barracuda Sentinel)', accept: '*/*' } },
  { method: 'GET', headers: { 'user-agent': 'Proofpoint URL Defense', accept: 'text/html' } },
  { method: 'GET', headers: { 'user-agent': 'Microsoft Office Existence Discovery', accept: 'text/html' } },
  { method: 'GET', headers: { 'user-agent': 'python-requests/2.31.0', accept: '*/*' } },
  { method: 'GET', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0', ...navigation() } },
  { method: 'GET', headers: { 'user-agent': BROWSER['user-agent'], accept: '*/*' } },
  { method: 'GET', headers: { ...BROWSER, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'empty' } },
  { method: 'GET', headers: { ...BROWSER, 'sec-purpose': 'prefetch' } },
  { method: 'GET', headers: { ...BROWSER, purpose: 'prefetch' } },
  { method: 'GET', headers: { accept: 'text/html' } },
];

function navigation() {
  return { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
}

/** One request, redirects not followed, every header as given (fetch would add its own Sec-Fetch-Mode). */
function call(url: string, method = 'GET', headers: Record<string, string> = BROWSER) {
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('aggregate clicks through a real server (analytics: aggregate, analytics.minCount 3)', () => {
  // One project for the whole suite (useTempDir would remove it after the first test).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-clicks-'));
  let server: DeskServer;
  /** The digest's /c/ paths, and what each one names. */
  let links: { path: string; target: ClickTarget }[];
  let articleUrl: (articleId: string) => string;

  beforeAll(async () => {
    server = await startDeskServer(dir, {
      newsletter: '    analytics: aggregate\n',
      editYaml: (yaml) => `${yaml}\nanalytics:\n  minCount: 3\n`,
      modules: (ctx) => [createClickRoutes(clickOperationsFromContext(ctx))],
    });
    const pipeline = await EditionPipeline.open(server.ctx, 'daily', new Date(AT));
    const reader = await resolveReader(server.ctx, pipeline, undefined);
    const plan = pipeline.plan(reader, reader.received);
    if ('skip' in plan) throw new Error(`the sample digest is skipped: ${plan.skip}`);
    const segment = await pipeline.render(plan);
    const hrefs = [...segment.html.matchAll(/href="(http:\/\/127\.0\.0\.1:8080\/c\/[^"]+)"/g)].map((m) => m[1]!);
    links = [...new Set(hrefs)].map((href) => {
      const token = href.slice(href.lastIndexOf('/') + 1);
      return { path: `/c/${token}`, target: verifyClickToken(token, SECRET)! };
    });
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    articleUrl = (id) => edition.articles.find((a) => a.articleId === id)!.url!;
    // Every article link of the email goes through /c/: no article's own URL is linked, in HTML or text.
    for (const article of edition.articles.filter((a) => a.url)) {
      expect(segment.html).not.toContain(`href="${article.url}"`);
    }
    expect(segment.text).toMatch(/http:\/\/127\.0\.0\.1:8080\/c\//);
    // Off: the same content links the articles directly, as before.
    const direct = await pipeline.renderer.renderSegment(plan.content, { ...pipeline.newsletter, analytics: 'off' });
    expect(direct.html).not.toContain('/c/');
    expect(direct.html).toContain(`href="${edition.articles.find((a) => a.url)!.url}"`);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const report = () => clickOperationsFromContext(server.ctx).editionReport(EDITION);

  it('links name the edition, article and section, with no reader; one per article and section', () => {
    expect(links.length).toBeGreaterThan(3);
    for (const { target } of links) {
      expect(target.editionId).toBe(EDITION);
      expect(Object.keys(target).sort()).toEqual(['articleId', 'editionId', 'section']);
    }
    expect(links.some((link) => link.target.section === 'top')).toBe(true);
  });

  it('redirects readers to the article and counts per article; a count shows only from minCount on', async () => {
    const [first, second] = links.filter((link) => link.target.section !== 'top');
    for (let i = 0; i < 3; i++) {
      const response = await call(`${server.url}${first!.path}`, 'GET', i === 2 ? OLD_SAFARI : BROWSER);
      expect(response).toEqual({ status: 302, location: articleUrl(first!.target.articleId) });
    }
    for (let i = 0; i < 2; i++) expect((await call(`${server.url}${second!.path}`)).status).toBe(302);
    const shown = await report();
    expect(shown.stories).toEqual([expect.objectContaining({ articleId: first!.target.articleId, clicks: 3 })]);
    // The second story has 2 clicks: counted, kept out of sight until it reaches 3.
    expect(shown.hiddenStories).toBe(1);
    await call(`${server.url}${second!.path}`);
    const both = (await report()).stories.map((story) => [story.articleId, story.clicks]);
    expect(both.sort()).toEqual(
      [
        [first!.target.articleId, 3],
        [second!.target.articleId, 3],
      ].sort(),
    );
  });

  it('a simulated scanner opening every link is redirected and never counted (measured)', async () => {
    const before = await report();
    const countedBefore = before.stories.reduce((sum, story) => sum + story.clicks, 0);
    let redirected = 0;
    for (const link of links) {
      for (const request of SCANNER_REQUESTS) {
        const response = await call(`${server.url}${link.path}`, request.method, request.headers);
        expect(response.status).toBe(302);
        expect(response.location).toBe(articleUrl(link.target.articleId));
        redirected++;
      }
    }
    const after = await report();
    const countedAfter = after.stories.reduce((sum, story) => sum + story.clicks, 0);
    // The figure docs/operations.md quotes: every scanner request redirected, none counted.
    console.info(
      `scanner simulation: ${redirected} requests over ${links.length} links, ${countedAfter - countedBefore} counted, ${after.filtered - before.filtered} filtered`,
    );
    expect(countedAfter - countedBefore).toBe(0);
    expect(after.hiddenStories).toBe(before.hiddenStories);
    expect(after.filtered - before.filtered).toBe(redirected);
  });

  it('refuses forged, altered and foreign tokens (400) and links to what the edition does not hold (404)', async () => {
    const link = links[0]!;
    const token = link.path.slice(3);
    const [payload, signature] = token.split('.');
    const flip = (text: string) => text.slice(0, -2) + (text.at(-2) === 'A' ? 'B' : 'A') + text.at(-1);
    const altered = Buffer.from(
      `r:${JSON.stringify([EDITION, 'another-article', link.target.section])}`,
      'utf8',
    ).toString('base64url');
    const before = JSON.stringify(await server.ctx.store.clicks.listForEdition(EDITION));
    for (const bad of [
      `${payload}.${flip(signature!)}`,
      `${altered}.${signature}`,
      signClickToken(link.target, 'another-secret-0123456789'),
      signImageToken('https://evil.example/x.png', SECRET),
      signPayload(`u:1:daily`, SECRET),
      'not-a-token',
    ]) {
      expect((await call(`${server.url}/c/${bad}`)).status).toBe(400);
    }
    for (const target of [
      { ...link.target, articleId: 'not-in-the-edition' },
      { ...link.target, editionId: 'daily/2026-01-01T07:00' },
      // The article is in the edition, but not in that section.
      { ...link.target, section: 'no-such-section' },
    ]) {
      expect((await call(`${server.url}/c/${signClickToken(target, SECRET)}`)).status).toBe(404);
    }
    expect(JSON.stringify(await server.ctx.store.clicks.listForEdition(EDITION))).toBe(before);
  });

  it('never redirects anywhere the request names (no open redirect)', async () => {
    const link = links[1]!;
    for (const path of [
      `${link.path}?url=https://evil.example/`,
      `${link.path}?next=//evil.example`,
      `${link.path}/https://evil.example/`,
    ]) {
      const response = await call(`${server.url}${path}`);
      if (response.status === 302) expect(response.location).toBe(articleUrl(link.target.articleId));
      else expect(response.status).toBe(404);
    }
  });

  it('stores nothing about the reader: the tables hold counts per edition, article, section and source only', async () => {
    const db = new Database(server.ctx.store.file!, { readonly: true });
    try {
      const columns = db
        .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
        .all('click_counts')
        .map((c) => c.name);
      expect(columns.sort()).toEqual(
        ['article_id', 'clicks', 'edition_id', 'filtered', 'newsletter_id', 'section', 'slot_utc', 'source'].sort(),
      );
      const rows = db.prepare('SELECT * FROM click_counts').all();
      expect(rows.length).toBeGreaterThan(0);
      const stored = JSON.stringify(rows);
      for (const identifying of ['127.0.0.1', 'Mozilla', 'Chrome', 'Barracuda', 'python', '@', 'text/html']) {
        expect(stored).not.toContain(identifying);
      }
      // Nor anywhere else: no table holds the agents or headers the requests carried.
      const tables = db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .all();
      for (const { name } of tables) {
        const all = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        for (const agent of ['Barracuda', 'python-requests', 'HeadlessChrome', 'Chrome/131', 'prefetch'])
          expect(all, name).not.toContain(agent);
      }
    } finally {
      db.close();
    }
  });

  it('the desk shows the most-read stories and each source over 30 days, /metrics the same; nothing below minCount', async () => {
    // A story clicked once: counted, never shown.
    const shownBefore = new Set((await report()).stories.map((story) => story.articleId));
    const lone = links.find((link) => !shownBefore.has(link.target.articleId))!;
    await call(`${server.url}${lone.path}`);
    await server.ctx.store.editions.recordAudience(EDITION, { maxSubscriberId: 100, added: 40 });
    await server.ctx.store.editions.setStatus(EDITION, 'sent', { at: new Date(AT) });
    const shown = await report();

    const jar = new Map<string, string>();
    const request = async (path: string, form?: Record<string, string>) => {
      const response = await fetch(new URL(path, server.url), {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      for (const header of response.headers.getSetCookie()) {
        const [name, value] = header.split(';')[0]!.split('=');
        if (value) jar.set(name!, value);
      }
      return { status: response.status, text: await response.text() };
    };
    const login = await request('/desk/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    expect((await request('/desk/login', { _csrf: csrf, login: 'ann', password: PASSWORDS.ann })).status).toBe(303);
    const page = await request('/desk/clicks');
    expect(page.status).toBe(200);
    const editionBlock = page.text.slice(page.text.indexOf(`data-edition="${EDITION}"`));
    const counts = [...editionBlock.matchAll(/<span class="count">(\d+)<\/span>/g)].map((m) => Number(m[1]));
    expect(counts).toEqual(shown.stories.map((story) => story.clicks));
    expect(counts.every((count) => count >= 3)).toBe(true);
    expect(page.text).toContain(`${shown.hiddenStories} story(ies) below 3 clicks not shown`);
    const sources = await clickOperationsFromContext(server.ctx).sourceReport('daily');
    expect(sources.sources.length).toBeGreaterThan(0);
    for (const source of sources.sources) {
      expect(source.messages).toBe(40);
      expect(source.clickThrough).toBeCloseTo(source.clicks / 40);
      expect(page.text).toContain(`<td>${source.source}</td><td data-label="Clicks">${source.clicks}</td>`);
    }

    const metrics = createOpsMetrics({
      readings: server.ctx.store,
      clock: server.ctx.clock,
      newsletterIds: ['daily'],
      nextRunFor: () => null,
      clicks: clickOperationsFromContext(server.ctx),
      processMetrics: false,
    });
    const text = await metrics.render();
    const storySeries = [...text.matchAll(/^tidings_story_clicks\{[^}]*article="([^"]+)"[^}]*\} (\d+)$/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(storySeries.sort()).toEqual(shown.stories.map((story) => [story.articleId, story.clicks]).sort());
    expect(text).not.toContain(`article="${lone.target.articleId}"`);
    for (const source of sources.sources)
      expect(text).toContain(`tidings_source_clicks_30d{source="${source.source}"} ${source.clicks}`);
  });
});
