import os from 'node:os';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curatedArticles } from '../../src/editions/plan-digest.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from './support/desk-server.ts';

const CHROMIUM = '/usr/bin/chromium';
// Screenshots for a person to look at go to a temporary folder unless one is named
// (`TIDINGS_SCREENSHOTS=docs/screenshots` refreshes the README's); a test run never
// writes into the working tree on its own.
const SCREENSHOTS = path.resolve(process.env.TIDINGS_SCREENSHOTS ?? path.join(os.tmpdir(), 'tidings-desk-screenshots'));

describe('the editor desk in real Chromium: curate, preview, approve, send', () => {
  const tempDir = useTempDir('tidings-desk-e2e-');
  let browser: Browser;
  let sink: SmtpSink;
  let server: DeskServer;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page that reaches only the desk: article images on other hosts are refused, so nothing waits for the network. */
  async function openPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.route('**/*', (route) =>
      route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
    );
    return page;
  }

  async function login(page: Page, name: string, password: string) {
    await page.goto(`${server.url}/desk/login`);
    await page.fill('input[name="login"]', name);
    await page.fill('input[name="password"]', password);
    await Promise.all([
      page.waitForURL(/\/desk\/editions$/, { waitUntil: 'domcontentloaded' }),
      page.click('button[type="submit"]'),
    ]);
  }
  const card = (page: Page, id: string) => page.locator(`li.card[data-id="${id}"]`);
  const submitIn = async (page: Page, id: string, label: string) => {
    const button = label.startsWith('Move')
      ? card(page, id).locator(`button[title="${label}"]`)
      : card(page, id).getByRole('button', { name: label, exact: true });
    await Promise.all([page.waitForURL(/note=|error=/, { waitUntil: 'domcontentloaded' }), button.click()]);
  };
  const sectionIds = (page: Page, slug: string) =>
    page
      .locator(`ol.section[data-category="${slug}"] > li.card`)
      .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.id!));

  it('logs in, adds, recategorizes, pins, reorders (drag and buttons), writes an intro, previews in Russian, approves; an admin sends', async () => {
    sink = await startSmtpSink();
    server = await startDeskServer(tempDir(), { smtpUrl: sink.url });
    try {
      const page = await openPage();
      await login(page, 'ann', PASSWORDS.ann);
      expect(await page.locator('h2', { hasText: 'Awaiting approval' }).count()).toBe(1);
      await page.click(`a:has-text("${EDITION}")`);
      await page.waitForSelector('h1');
      const editionUrl = page.url();

      // Add an article the per-category cap (2) left out.
      const addable = await page.locator('ul.found button[data-add]').first().getAttribute('data-add');
      await Promise.all([
        page.waitForURL(/note=Added/, { waitUntil: 'domcontentloaded' }),
        page.locator(`button[data-add="${addable}"]`).click(),
      ]);
      expect(await card(page, addable!).count()).toBe(1);

      // Recategorize a world article into science.
      const world = await sectionIds(page, 'world');
      const moved = world[0]!;
      await card(page, moved).locator('select[name="category"]').selectOption('science');
      await submitIn(page, moved, 'Recategorize');
      expect(await sectionIds(page, 'science')).toContain(moved);
      const stored = await server.ctx.store.articles.getArticle(moved);
      expect([stored!.categories[0], stored!.categoryOrigin]).toEqual(['science', 'editor']);

      // Reorder by the no-JS buttons: the first technology article goes down one.
      const techBefore = await sectionIds(page, 'technology');
      expect(techBefore.length).toBeGreaterThanOrEqual(2);
      await submitIn(page, techBefore[0]!, 'Move down');
      expect(await sectionIds(page, 'technology')).toEqual([techBefore[1], techBefore[0], ...techBefore.slice(2)]);

      // Reorder by drag and drop (SortableJS): the last science article to the top.
      const scienceBefore = await sectionIds(page, 'science');
      await page
        .locator('ol.section[data-category="science"]')
        .evaluate((list) => list.scrollIntoView({ block: 'start' }));
      const last = card(page, scienceBefore.at(-1)!).locator('p.meta');
      const first = card(page, scienceBefore[0]!).locator('h3');
      const from = (await last.boundingBox())!;
      const target = (await first.boundingBox())!;
      await page.mouse.move(from.x + 5, from.y + 5);
      await page.mouse.down();
      // SortableJS checks the pointer's place every 50 ms while dragging: move in steps it can see.
      for (let step = 1; step <= 12; step++) {
        await page.mouse.move(from.x + 5, from.y + 5 + ((target.y - from.y - 10) * step) / 12);
        await page.waitForTimeout(60);
      }
      await Promise.all([
        page.waitForURL(/note=New\+order|note=New%20order/, { waitUntil: 'domcontentloaded' }),
        page.mouse.up(),
      ]);
      const scienceAfter = await sectionIds(page, 'science');
      expect(scienceAfter[0]).toBe(scienceBefore.at(-1));

      // Pin a business article as the top story.
      const pinned = (await sectionIds(page, 'business'))[0]!;
      await submitIn(page, pinned, 'Pin');
      expect(await page.locator('ol.pinned li.card').getAttribute('data-id')).toBe(pinned);

      // The intro, in Markdown.
      await page.fill(
        'textarea[name="intro"]',
        'Good morning from the **harbour** desk.\n\nThree things to [read](https://example.org/read) today. <script>alert(1)</script>',
      );
      await Promise.all([
        page.waitForURL(/note=Introduction/, { waitUntil: 'domcontentloaded' }),
        page.click('button:has-text("Save introduction")'),
      ]);

      // Preview as the Russian subscriber: the sandboxed frame shows Russian, the text part sits beside it.
      await page.selectOption('select[name="subscriber"]', 'ivan.petrov@example.net');
      await Promise.all([
        page.waitForURL(/subscriber=ivan/, { waitUntil: 'domcontentloaded' }),
        page.click('button:has-text("Show")'),
      ]);
      expect(await page.locator('iframe.w600').getAttribute('sandbox')).toBe('');
      const frame = page.frameLocator('iframe.w600');
      await expect.poll(() => frame.locator('body').innerText(), { timeout: 10_000 }).toContain('Здравствуйте, Иван!');
      expect(await page.locator('pre.text-part').innerText()).toContain('Good morning from the harbour desk.');
      expect(await frame.locator('strong', { hasText: 'harbour' }).count()).toBe(1);
      expect(await frame.locator('a[href="https://example.org/read"]').innerText()).toBe('read');
      expect(await frame.locator('body').innerText()).toContain('<script>alert(1)</script>'); // shown as text
      expect(await page.locator('p.size').innerText()).toMatch(/KB of Gmail's 102\.0 KB clip/);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-edition.png'), fullPage: false });

      // The three preview frames render as the page settles; click once nothing moves any more.
      await page.waitForLoadState('load');
      await page.locator('button.primary:has-text("Approve")').press('Enter');
      await page.waitForURL(/note=|error=/, { waitUntil: 'domcontentloaded' });
      expect(decodeURIComponent(page.url())).toMatch(/note=Approved/);
      expect(await page.locator('strong.approver').innerText()).toBe('ann');
      expect(await page.locator(':is(a, button):has-text("Send now")').count()).toBe(0); // ann is not an admin

      // An admin sends it; the page becomes read-only and says so.
      const admin = await openPage();
      await login(admin, 'root', PASSWORDS.root);
      await admin.goto(editionUrl.split('?')[0]!);
      await admin.waitForLoadState('load');
      await Promise.all([
        admin.waitForURL(/\/send$/, { waitUntil: 'domcontentloaded' }),
        admin.locator('a:has-text("Send now")').press('Enter'),
      ]);
      await admin.locator('button:has-text("Send to")').press('Enter');
      await admin.waitForURL(/note=Sending/, { waitUntil: 'domcontentloaded' });
      await expect
        .poll(async () => (await server.ctx.store.editions.getEdition(EDITION))!.status, { timeout: 30_000 })
        .toBe('sent');
      await admin.goto(`${server.url}/desk/e/${EDITION}`);
      expect(await admin.locator('p.readonly').innerText()).toMatch(/read-only/);
      expect(await admin.locator('button:has-text("Pin")').count()).toBe(0);
      await admin.goto(`${server.url}/desk/editions`);
      await admin.screenshot({ path: path.join(SCREENSHOTS, 'desk-editions.png') });

      // What reached the SMTP server carries the curated order, the intro and the categories.
      const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
      const order = curatedArticles(edition, server.ctx.config.newsletters[0]!.categories);
      expect(order[0]!.articleId).toBe(pinned);
      const messages = await Promise.all(sink.messages.map((m) => simpleParser(m.raw)));
      const to = (m: (typeof messages)[number]) => (Array.isArray(m.to) ? m.to[0] : m.to)!.value[0]!.address;
      expect(messages.map(to)).toEqual(
        expect.arrayContaining(['ada.lovelace@example.org', 'grace@example.com', 'ivan.petrov@example.net']),
      );
      const ada = messages.find((m) => to(m) === 'ada.lovelace@example.org')!;
      const text = ada.text!;
      expect(text).toContain('Good morning from the harbour desk.');
      expect(text).toContain('Three things to read (https://example.org/read) today.');
      expect(ada.html).toContain('<strong>harbour</strong>');
      const positions = order.map((a) => text.indexOf(a.title));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(text.indexOf('SCIENCE')).toBeGreaterThan(-1);
      expect(text.indexOf(edition.articles.find((a) => a.articleId === moved)!.title)).toBeGreaterThan(
        text.indexOf('SCIENCE'),
      );
      const ivan = messages.find((m) => to(m) === 'ivan.petrov@example.net')!;
      expect(ivan.text).toContain('Здравствуйте, Иван!');

      // The audit log names the editor for each change, and the admin for the send.
      const log = await server.ctx.store.audit.list({ editionId: EDITION });
      const byAnn = new Set(log.filter((e) => e.actor === 'ann').map((e) => e.action));
      for (const action of ['add', 'recategorize', 'move', 'reorder', 'pick', 'intro', 'approve'])
        expect(byAnn).toContain(action);
      expect(log.some((e) => e.actor === 'root' && e.action === 'send')).toBe(true);
      await admin.goto(`${server.url}/desk/e/${EDITION}`);
      expect(await admin.locator('table.audit').innerText()).toMatch(/ann\s+approve/);
    } finally {
      await server.close();
      await sink.close();
    }
  }, 120_000);
});
