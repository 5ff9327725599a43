import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../helpers/http-fixture-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, PASSWORDS, startDeskServer } from './support/desk-server.ts';

const PAGE = `<!doctype html><html lang="en"><head><title>Harbour opens a floating solar farm</title></head><body>
<article><h1>Harbour opens a floating solar farm</h1>
<p>The city harbour switched on a solar farm that floats on the water next to the ferry terminal.</p>
<p>Its panels stay cool on the water, so they make more power on hot days than panels on roofs.</p>
<p>The harbour plans to add a second field of panels next spring if the first year goes well.</p></article></body></html>`;

describe('"Add a link" on the desk, in real Chromium', () => {
  const tempDir = useTempDir('tidings-desk-addlink-');
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('offers a bookmarklet, opens the chosen draft with the link filled in, and adds the fetched page', async () => {
    const site = await startFixtureServer({
      '/solar': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
    });
    // Pages on 127.0.0.1 are refused to pasted links unless the operator allows private networks.
    const server = await startDeskServer(tempDir(), {
      editYaml: (yaml) => `${yaml}\nfetch:\n  allowPrivateNetworks: true\n`,
    });
    try {
      const page = await browser.newPage();
      await page.route('**/*', (route) =>
        route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
      );
      await page.goto(`${server.url}/desk/login`);
      await page.fill('input[name="login"]', 'ann');
      await page.fill('input[name="password"]', PASSWORDS.ann);
      await Promise.all([page.waitForURL(/\/desk\/editions$/), page.click('button[type="submit"]')]);
      const bookmarklet = await page.locator('a.bookmarklet').getAttribute('href');
      expect(bookmarklet).toMatch(/^javascript:/);
      expect(bookmarklet).toContain('http://127.0.0.1:8080/desk/add-link?url=');

      // What the bookmarklet opens, for the page being read.
      const link = site.url('/solar');
      await page.goto(`${server.url}/desk/add-link?url=${encodeURIComponent(link)}`);
      await Promise.all([page.waitForURL(/addurl=/), page.click(`a:has-text("${EDITION}")`)]);
      expect(await page.inputValue('form.add-link input[name="url"]')).toBe(link);
      await Promise.all([
        page.waitForURL(/note=|error=/, { waitUntil: 'domcontentloaded' }),
        page.click('form.add-link button[type="submit"]'),
      ]);
      expect(decodeURIComponent(page.url())).toContain('Link added, fetched and summarized');
      const card = page.locator('li.card', { hasText: 'Harbour opens a floating solar farm' });
      expect(await card.count()).toBe(1);
      expect(await card.locator('.summary').innerText()).toContain('floats on the water');

      // A link the server cannot fetch needs the editor's own words; without them, the page says so.
      await page.fill('form.add-link input[name="url"]', site.url('/missing'));
      await Promise.all([
        page.waitForURL(/error=/, { waitUntil: 'domcontentloaded' }),
        page.click('form.add-link button[type="submit"]'),
      ]);
      expect(decodeURIComponent(page.url())).toContain('give a title and a summary by hand');
      await page.fill('form.add-link input[name="url"]', site.url('/missing'));
      await page.fill('form.add-link input[name="title"]', 'Ferry timetable changes <b>today</b>');
      await page.fill('form.add-link textarea[name="summary"]', 'Two crossings move by ten minutes.');
      await Promise.all([
        page.waitForURL(/note=/, { waitUntil: 'domcontentloaded' }),
        page.click('form.add-link button[type="submit"]'),
      ]);
      const typed = page.locator('li.card', { hasText: 'Ferry timetable changes <b>today</b>' });
      expect(await typed.count()).toBe(1);
      expect(await typed.locator('.summary').innerText()).toContain('Two crossings move by ten minutes.');
    } finally {
      await server.close();
      await site.close();
    }
  }, 180_000);
});
