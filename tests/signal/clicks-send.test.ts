import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickOperationsFromContext } from '../../src/app/clicks/click-operations.ts';
import { listenWebServer } from '../../src/cli/commands/web-server-wiring.ts';
import { editionFolderName } from '../../src/delivery/outbox-transport.ts';
import { verifyClickToken } from '../../src/render/click-links.ts';
import { createClickRoutes } from '../../src/web/public/click-routes.ts';
import { AT, EDITION, SECRET, startDeskServer, type DeskServer } from '../desk/support/desk-server.ts';
import { runCli } from '../helpers/cli-run.ts';

/** The /c/ tokens of one message's HTML part. */
function clickTokens(html: string): string[] {
  return [...new Set([...html.matchAll(/href="http:\/\/127\.0\.0\.1:8080\/c\/([^"]+)"/g)].map((m) => m[1]!))];
}

describe('a real send with analytics: aggregate (tidings send to the outbox)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-clicks-send-'));
  let server: DeskServer;
  const messages: { to: string; html: string; text: string }[] = [];

  beforeAll(async () => {
    server = await startDeskServer(dir, {
      newsletter: '    analytics: aggregate\n',
      modules: (ctx) => [createClickRoutes(clickOperationsFromContext(ctx))],
    });
    const cli = (...args: string[]) =>
      runCli(['-q', '-c', path.join(dir, 'tidings.config.yaml'), ...args], { TIDINGS_SECRET: SECRET }, AT);
    for (const args of [
      ['edition', 'approve', EDITION],
      ['send', 'daily', '--at', AT],
    ]) {
      const result = await cli(...args);
      if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.err}`);
    }
    const folder = path.join(dir, 'outbox', editionFolderName(EDITION));
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.eml'))) {
      const mail = await simpleParser(readFileSync(path.join(folder, file)));
      const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.value[0]!.address!;
      messages.push({ to, html: String(mail.html), text: mail.text ?? '' });
    }
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every message links its articles through /c/ with tokens that name no reader: readers with the same content get the same links', async () => {
    expect(messages.length).toBeGreaterThan(2);
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    const byContent = new Map<string, string[]>();
    for (const message of messages) {
      const tokens = clickTokens(message.html);
      expect(tokens.length, message.to).toBeGreaterThan(0);
      for (const article of edition.articles.filter((a) => a.url))
        expect(message.html, message.to).not.toContain(`href="${article.url}"`);
      for (const token of tokens) {
        const target = verifyClickToken(token, SECRET)!;
        expect(target.editionId).toBe(EDITION);
        expect(JSON.stringify(target)).not.toContain(message.to);
      }
      const key = tokens.slice().sort().join(' ');
      byContent.set(key, [...(byContent.get(key) ?? []), message.to]);
    }
    // Fewer distinct link sets than readers: the links are the segment's, not the reader's.
    expect(byContent.size).toBeLessThan(messages.length);
  });

  it('a link from a sent message redirects to its article and counts', async () => {
    const token = clickTokens(messages[0]!.html)[0]!;
    const target = verifyClickToken(token, SECRET)!;
    // node:http, not fetch: fetch adds its own `Sec-Fetch-Mode: cors` (which the filter rightly does not count).
    const response = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      http
        .get(
          `${server.url}/c/${token}`,
          {
            headers: {
              'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
              accept: 'text/html',
              'sec-fetch-mode': 'navigate',
              'sec-fetch-dest': 'document',
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
          },
        )
        .on('error', reject);
    });
    expect(response.status).toBe(302);
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    expect(response.location).toBe(edition.articles.find((a) => a.articleId === target.articleId)!.url);
    const rows = await server.ctx.store.clicks.listForEdition(EDITION);
    expect(rows).toEqual([
      expect.objectContaining({ articleId: target.articleId, section: target.section, clicks: 1 }),
    ]);
  });

  it('tidings serve wires /c/, /a/ and the click series of /metrics', async () => {
    const ctx = { ...server.ctx, config: { ...server.ctx.config, web: { ...server.ctx.config.web, port: 0 } } };
    const served = await listenWebServer(ctx);
    try {
      const token = clickTokens(messages[0]!.html)[0]!;
      const head = await fetch(`${served.address}/c/${token}`, { method: 'HEAD', redirect: 'manual' });
      expect(head.status).toBe(302);
      expect((await fetch(`${served.address}/c/${token.slice(0, -3)}xyz`, { redirect: 'manual' })).status).toBe(400);
      expect((await fetch(`${served.address}/a/${token}`)).status).toBe(400);
      const metrics = await (await fetch(`${served.address}/metrics`)).text();
      expect(metrics).toContain('# TYPE tidings_story_clicks gauge');
      expect(metrics).toContain('# TYPE tidings_source_click_through_30d gauge');
      // One click so far (the test above): below minCount 5, so no series yet.
      expect(metrics).not.toMatch(/^tidings_story_clicks\{/m);
    } finally {
      await served.close();
    }
  });
});
