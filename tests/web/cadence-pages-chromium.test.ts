import fs, { readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { signSubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { createWebServer } from '../../src/web/create-web-server.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import { createSubscriberWorkspace, SECRET, type SubscriberWorkspace } from '../app/support/subscriber-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { TEMPLATES_DIR } from './support/web-app.ts';

/**
 * A reader's cadence on the pages (issue 26), in Debian's headless Chromium against the
 * real server, subscriber service and SQLite store: the preferences page's chooser and
 * its "from the weekly of …" notice, and a signup at a cadence through the confirmation
 * mail a real SMTP server receives.
 */
const CHROMIUM = '/usr/bin/chromium';
/** A Wednesday: Thursday's daily (07:00 UTC) is still sent; the weekly of Monday 14 December comes next. */
const NOW = '2026-12-09T10:00:00Z';

describe.skipIf(!fs.existsSync(CHROMIUM))('cadence on the preferences and signup pages in Chromium', () => {
  const tempDir = useTempDir('tidings-cadence-pages-');
  let browser: Browser;
  let page: Page;
  let sink: SmtpSink;
  let ws: SubscriberWorkspace;
  let ctx: AppContext;
  let app: FastifyInstance;
  let base = '';

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
    sink = await startSmtpSink();
  }, 60_000);

  // Each test has its own project folder (emptied after it): its server and store close first.
  afterEach(async () => {
    await app?.close();
    ws?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await sink?.close();
  });

  /** The workspace's `daily` at 07:00 UTC offering daily and weekly; Ann reads it in German. */
  async function serve(): Promise<void> {
    ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', newsletters: ['daily'], categories: ['science'], locale: 'de' },
    ]);
    const config = readFileSync(ws.configFile, 'utf8').replace(
      '  - id: daily\n',
      '  - id: daily\n    schedule: "0 7 * * *"\n    cadences: [daily, weekly]\n',
    );
    writeFileSync(ws.configFile, config);
    const synced = await ws.cli(['subscribers', 'sync'], sink.url, NOW);
    expect(synced.code, synced.err).toBe(0);
    const opened = ws.service(sink.url, NOW);
    ctx = opened.ctx;
    app = await createWebServer({
      config: ctx.config,
      subscribers: opened.service,
      views: loadWebViews(TEMPLATES_DIR),
      logger: createSilentLogger(),
      clock: opened.clock,
      checkHealth: async () => {},
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  }

  const subscriptionOf = async (email: string) =>
    (await ctx.store.subscribers.findByEmail(email))?.subscriptions.find((s) => s.newsletterId === 'daily');

  it('changes the cadence on the preferences page from the next period, says when, and keeps the rest', async () => {
    await serve();
    const ann = (await ctx.store.subscribers.findByEmail('ann@example.org'))!;
    const token = signSubscriberToken({ subscriberId: ann.id, newsletterId: 'daily', purpose: 'preferences' }, SECRET);
    await page.goto(`${base}/p/${token}`);
    const chooser = page.locator('select[name="cadence.daily"]');
    await expect(chooser.inputValue()).resolves.toBe('daily');
    await expect(chooser.locator('option').allTextContents()).resolves.toEqual(['Täglich', 'Wöchentlich']);

    await chooser.selectOption('weekly');
    await page.click('form:has(input[value=save]) button[type=submit]');
    await page.waitForLoadState();
    const notice = page.locator('[data-cadence-pending=daily]');
    await expect(notice.textContent()).resolves.toBe(
      'Wechsel zu „Wöchentlich“: ab der Wochenausgabe vom Montag, 14. Dezember.',
    );
    await expect(page.locator('select[name="cadence.daily"]').inputValue()).resolves.toBe('weekly');

    // The store holds the pending change: after Thursday's daily (so no period is missed).
    await expect(subscriptionOf('ann@example.org')).resolves.toMatchObject({
      status: 'active',
      categories: ['science'],
      cadence: null,
      nextCadence: { name: 'weekly', after: '2026-12-10T07:00:00.000Z' },
    });
    expect((await ctx.store.subscribers.findByEmail('ann@example.org'))!.locale).toBe('de');

    // In French the page says the same; saving the language keeps the change waiting.
    await page.selectOption('select[name=locale]', 'fr');
    await page.click('form:has(input[value=save]) button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('[data-cadence-pending=daily]').textContent()).resolves.toBe(
      'Passage à « Hebdomadaire » : à partir de l’édition hebdomadaire du lundi 14 décembre.',
    );
    await expect(subscriptionOf('ann@example.org')).resolves.toMatchObject({
      nextCadence: { name: 'weekly', after: '2026-12-10T07:00:00.000Z' },
    });

    // Choosing daily again before the switch cancels the change.
    await page.locator('select[name="cadence.daily"]').selectOption('daily');
    await page.click('form:has(input[value=save]) button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('[data-cadence-pending]').count()).resolves.toBe(0);
    await expect(subscriptionOf('ann@example.org')).resolves.toMatchObject({ cadence: null, nextCadence: null });
  }, 60_000);

  it('signs up at a cadence: the default selected, the choice stored at once on confirmation', async () => {
    await serve();
    await page.goto(`${base}/s/daily`);
    const chooser = page.locator('select[name=cadence]');
    await expect(chooser.inputValue()).resolves.toBe('daily');
    await page.fill('input[name=email]', 'dan@example.org');
    await chooser.selectOption('weekly');
    const before = sink.messages.length;
    await page.click('form button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('h1').textContent()).resolves.toBe('Check your inbox');
    await expect.poll(() => sink.messages.length, { timeout: 30_000 }).toBeGreaterThan(before);
    const mail = await simpleParser(sink.messages.at(-1)!.raw);
    const token = /https:\/\/news\.example\.org\/s\/daily\/confirm\/(\S+)/.exec(String(mail.text))?.[1];
    expect(token, String(mail.text)).toBeDefined();
    expect(await ctx.store.subscribers.findByEmail('dan@example.org')).toBeNull();

    await page.goto(`${base}/s/daily/confirm/${token}`);
    await page.click('form button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('h1').textContent()).resolves.toBe('You are subscribed');
    await expect(subscriptionOf('dan@example.org')).resolves.toMatchObject({
      status: 'active',
      cadence: 'weekly',
      nextCadence: null,
    });
  }, 60_000);
});
