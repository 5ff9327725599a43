import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeRecord } from '../helpers/article-records.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { AT, PASSWORDS, SECRET, startDeskServer, type DeskServer } from './support/desk-server.ts';

describe('the Unsorted tray in real Chromium: an article no category claimed is filed in one click', () => {
  const tempDir = useTempDir('tidings-desk-unsorted-');
  let browser: Browser;
  let server: DeskServer | undefined;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lists it, files it as the editor, trains on it, audits it, and the next edition carries it', async () => {
    server = await startDeskServer(tempDir());
    const { store, config } = server.ctx;
    const section = config.newsletters.find((n) => n.id === 'daily')!.categories[0]!;
    const stray = makeRecord({
      id: 'stray-0123456789',
      url: 'https://news.example.org/stray',
      title: 'Lighthouse keeper <b>retires</b> after forty years',
      source: 'harbor-herald',
      categories: [],
      categoryOrigin: 'none',
      publishedAt: new Date(Date.parse(AT) - 3_600_000).toISOString(),
    });
    await store.articles.saveArticles([stray], new Date(Date.parse(AT) - 3_600_000));

    const page = await browser.newPage();
    await page.route('**/*', (route) =>
      route.request().url().startsWith(server!.url) ? route.continue() : route.abort(),
    );
    await page.goto(`${server.url}/desk/login`);
    await page.fill('input[name="login"]', 'ann');
    await page.fill('input[name="password"]', PASSWORDS.ann);
    await Promise.all([page.waitForURL(/\/desk\/editions$/), page.click('button[type="submit"]')]);
    await Promise.all([page.waitForURL(/\/desk\/unsorted$/), page.getByRole('link', { name: 'Unsorted' }).click()]);
    const row = page.locator(`tr[data-id="${stray.id}"]`);
    // The title is text, not markup.
    await expect(row.locator('td').first().textContent()).resolves.toContain('Lighthouse keeper <b>retires</b>');
    await row.locator('select[name="category"]').selectOption(section);
    await Promise.all([page.waitForLoadState('domcontentloaded'), row.getByRole('button', { name: 'File' }).click()]);
    await expect(page.locator('p.notice').textContent()).resolves.toMatch(
      /^Filed “Lighthouse keeper <b>retires<\/b> after forty years” under /,
    );
    expect(await page.locator(`tr[data-id="${stray.id}"]`).count()).toBe(0);
    await page.close();

    expect(await store.articles.getArticle(stray.id)).toMatchObject({
      categories: [section],
      categoryOrigin: 'editor',
    });
    expect((await store.articles.listTrainingExamples()).map((example) => example.id)).toContain(stray.id);
    const [audit] = await store.audit.list({ limit: 1 });
    expect(audit).toMatchObject({
      actor: 'ann',
      action: 'article.file',
      details: { articleId: stray.id, category: section },
    });

    const next = '2026-11-29T07:00:00Z';
    const cli = (...args: string[]) =>
      runCli(['-q', '-c', `${server!.dir}/tidings.config.yaml`, ...args], { TIDINGS_SECRET: SECRET }, next);
    expect((await cli('edition', 'build', 'daily', '--at', next)).code).toBe(0);
    const shown = JSON.parse((await cli('edition', 'show', 'daily/2026-11-29T07:00', '--json')).out) as {
      articles: { articleId: string; category: string }[];
    };
    expect(shown.articles.find((a) => a.articleId === stray.id)).toMatchObject({ category: section });
  }, 90_000);
});
