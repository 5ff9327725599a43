import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultySmtpServer, type FaultySmtpServer } from '../delivery/support/faulty-smtp-server.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { AT, EDITION, PASSWORDS, SECRET, startDeskServer, type DeskServer } from './support/desk-server.ts';

const CHROMIUM = '/usr/bin/chromium';

describe('ambiguous deliveries resolved on the desk in real Chromium', () => {
  const tempDir = useTempDir('tidings-desk-resolve-');
  let browser: Browser;
  let smtp: FaultySmtpServer;
  let server: DeskServer;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  async function openPage(name: 'ann' | 'root'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.route('**/*', (route) =>
      route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
    );
    await page.goto(`${server.url}/desk/login`);
    await page.fill('input[name="login"]', name);
    await page.fill('input[name="password"]', PASSWORDS[name]);
    await Promise.all([
      page.waitForURL(/\/desk\/editions$/, { waitUntil: 'domcontentloaded' }),
      page.click('button[type="submit"]'),
    ]);
    return page;
  }

  it('shows the ambiguous rows to everyone; an admin resolves them after a confirmation, an editor is refused', async () => {
    // The server keeps the first two messages but their replies are lost: two ambiguous rows.
    smtp = await startFaultySmtpServer(({ index }) => (index <= 2 ? 'drop-after-dot' : 'accept'));
    server = await startDeskServer(tempDir(), { smtpUrl: smtp.url });
    const cli = (...args: string[]) =>
      runCli(['-q', '-c', `${server.dir}/tidings.config.yaml`, ...args], { TIDINGS_SECRET: SECRET }, AT);
    expect((await cli('edition', 'approve', EDITION)).code).toBe(0);
    const send = await cli('send', 'daily', '--at', AT);
    expect(send.code, send.out + send.err).toBe(1);
    const ambiguous = (await server.ctx.store.ledger.listAmbiguous(EDITION)).map((row) => row.email!);
    expect(ambiguous).toHaveLength(2);
    const readers = (await server.ctx.store.ledger.list(EDITION)).length;

    // The editions page names them in the words of `tidings status`.
    const editor = await openPage('ann');
    expect(await editor.locator('body').innerText()).toContain(
      `${readers - 2} accepted, 0 failed, 2 ambiguous, 0 skipped, 0 pending of ${readers}`,
    );
    await editor.locator('a', { hasText: '2 ambiguous to resolve' }).click();
    await editor.waitForSelector('#ambiguous');
    expect(await editor.locator('table.ambiguous tbody tr').count()).toBe(2);
    // An editor sees them but has no form; a forged post is refused.
    expect(await editor.locator('form.resolve').count()).toBe(0);
    const csrf = await editor.locator('input[name="_csrf"]').first().inputValue();
    const forged = await editor.evaluate(
      async ({ csrf: token, email }) => {
        const body = new URLSearchParams({ _csrf: token, op: 'resolve-confirmed', decision: 'accepted', email });
        const response = await fetch(window.location.pathname, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        return { status: response.status, text: await response.text() };
      },
      { csrf, email: ambiguous[0]! },
    );
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Only an admin can resolve ambiguous deliveries');
    expect(await server.ctx.store.ledger.listAmbiguous(EDITION)).toHaveLength(2);

    // The admin: one reader not accepted, with a confirmation step first.
    const admin = await openPage('root');
    await admin.goto(`${server.url}/desk/e/${EDITION}#ambiguous`);
    await admin.check(`input[name="email"][value="${ambiguous[0]}"]`);
    await admin.check('input[name="decision"][value="not-accepted"]');
    await Promise.all([
      admin.waitForSelector('section.resolve-confirm'),
      admin.click('form.resolve button[type="submit"]'),
    ]);
    expect(await admin.locator('section.resolve-confirm').innerText()).toContain('the next run sends them');
    expect(await admin.locator('ul.resolve-list li').allInnerTexts()).toEqual([ambiguous[0]]);
    // Nothing is recorded before the confirmation.
    expect(await server.ctx.store.ledger.listAmbiguous(EDITION)).toHaveLength(2);
    await Promise.all([
      admin.waitForURL(/note=/, { waitUntil: 'domcontentloaded' }),
      admin.click('section.resolve-confirm button[type="submit"]'),
    ]);
    expect(await admin.locator('p.note').innerText()).toContain(
      '1 ambiguous deliveries recorded as not accepted by root',
    );
    expect((await server.ctx.store.ledger.list(EDITION)).find((row) => row.email === ambiguous[0])).toMatchObject({
      status: 'pending',
      resolution: { decision: 'not-accepted', by: 'root' },
    });

    // The rest (all of them) accepted: the rows are final; the edition waits only for the resend.
    expect(await admin.locator('table.ambiguous tbody tr').count()).toBe(1);
    await admin.check('form.resolve input[name="all"]');
    await admin.check('input[name="decision"][value="accepted"]');
    await Promise.all([
      admin.waitForSelector('section.resolve-confirm'),
      admin.click('form.resolve button[type="submit"]'),
    ]);
    expect(await admin.locator('section.resolve-confirm').innerText()).toContain('never resent');
    await Promise.all([
      admin.waitForURL(/note=/, { waitUntil: 'domcontentloaded' }),
      admin.click('section.resolve-confirm button[type="submit"]'),
    ]);
    expect(await admin.locator('#ambiguous').count()).toBe(0);
    // The reader resolved as accepted has received the edition's stories: no later edition repeats them.
    const acceptedRow = (await server.ctx.store.ledger.list(EDITION)).find((row) => row.email === ambiguous[1])!;
    expect(acceptedRow).toMatchObject({ status: 'accepted', resolution: { decision: 'accepted', by: 'root' } });
    const editionArticles = (await server.ctx.store.editions.getEdition(EDITION))!.articles.map((a) => a.articleId);
    const received = await server.ctx.store.ledger.receivedArticleIds(acceptedRow.subscriberId, editionArticles);
    expect(received.size).toBeGreaterThan(0);
    expect(await admin.locator('table.audit').innerText()).toMatch(/root\s+deliveries\.resolve\s+decision: accepted/);

    // The next run sends to the not-accepted reader only; the edition is then sent and says who resolved what.
    const before = smtp.messages.length;
    const rerun = await cli('send', 'daily', '--at', AT);
    expect(rerun.code, rerun.out + rerun.err).toBe(0);
    expect(smtp.messages.slice(before).map((m) => m.to[0])).toEqual([ambiguous[0]]);
    await admin.reload();
    expect(await admin.locator('p.status').innerText()).toContain(
      'sent (2 were ambiguous, resolved by root (1 accepted, 1 not accepted and resent))',
    );
  }, 300_000);
});
