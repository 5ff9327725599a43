import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from '../desk/support/desk-server.ts';

/**
 * Every web page in real Chromium, in light and dark: the desk at 375 px without sideways
 * scrolling and with its send confirmation, then the subscriber and public pages, each
 * checked with axe-core (contrast included). One server for the whole sequence: the
 * desk sends the edition whose mail links open the subscriber pages.
 * With PAGES_SCREENSHOTS=<folder>, each page is also saved there at 375 and 1280 px.
 */
const CHROMIUM = '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.PAGES_SCREENSHOTS;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe in both colour schemes: serious or critical violations, and whether the contrast rule ran. */
async function axeInBothSchemes(page: Page): Promise<{ serious: string[]; contrastChecked: boolean[] }> {
  const serious: string[] = [];
  const contrastChecked: boolean[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
    const result = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              context: Document,
              options: object,
            ) => Promise<{ violations: AxeViolation[]; passes: { id: string }[] }>;
          };
        }
      ).axe;
      const run = await axe.run(document, { resultTypes: ['violations', 'passes'] });
      return { violations: run.violations, passes: run.passes.map((pass) => pass.id) };
    });
    for (const violation of result.violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      serious.push(
        `${colorScheme} ${page.url()}: ${violation.id}: ${violation.help}: ${violation.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`,
      );
    }
    contrastChecked.push(
      result.passes.includes('color-contrast') || result.violations.some((v) => v.id === 'color-contrast'),
    );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return { serious, contrastChecked };
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.skipIf(!fs.existsSync(CHROMIUM))('every web page in Chromium: 375 px, light and dark, axe', () => {
  const tempDir = useTempDir('tidings-pages-');
  let browser: Browser;
  let sink: SmtpSink;
  let server: DeskServer;
  let mail: ParsedMail;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    sink = await startSmtpSink();
    server = await startDeskServer(tempDir(), {
      smtpUrl: sink.url,
      newsletter: '    public: true\n    signup: true\n',
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await sink?.close();
    await browser?.close();
  });

  /** A 375 px page that reaches only our server (article images elsewhere are answered with a local picture); CSP bypassed for axe's script. */
  async function narrowPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.route('**/*', (route) =>
      route.request().url().startsWith(server.url)
        ? route.continue()
        : route.fulfill({
            contentType: 'image/svg+xml',
            body: '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300"><rect width="600" height="300" fill="#2d5a88"/></svg>',
          }),
    );
    return page;
  }

  /** Width, axe in both schemes and (optionally) screenshots of the page as it stands. */
  async function check(page: Page, name: string, options: { width?: boolean } = {}) {
    await page.waitForLoadState('load');
    if (options.width !== false) {
      const width = await overflow(page);
      if (width > 375) problems.push(`${name}: ${width} px wide at 375 px`);
    }
    const axe = await axeInBothSchemes(page);
    problems.push(...axe.serious.map((line) => `${name}: ${line}`));
    expect(axe.contrastChecked, name).toEqual([true, true]);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        for (const width of [375, 1280]) {
          await page.setViewportSize({ width, height: 800 });
          // Long pages as a few screens (top, middle, bottom), short ones whole.
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          const stops = height <= 2400 ? [null] : [0, 0.5, 1].map((at) => Math.round((height - 800) * at));
          for (const [index, top] of stops.entries()) {
            if (top !== null) await page.evaluate((y) => window.scrollTo(0, y), top);
            await page.screenshot({
              path: path.join(SHOTS, `${name}-${width}-${colorScheme}${top === null ? '' : `-${index}`}.png`),
              fullPage: top === null,
            });
          }
        }
      }
      await page.setViewportSize({ width: 375, height: 800 });
      await page.emulateMedia({ colorScheme: 'light' });
    }
  }

  it('the desk fits 375 px, and "Send now" asks first, showing how many readers it goes to', async () => {
    const page = await narrowPage();
    await page.goto(`${server.url}/desk/login`);
    await check(page, 'desk-login');
    await page.fill('input[name="login"]', 'root');
    await page.fill('input[name="password"]', PASSWORDS.root);
    await Promise.all([
      page.waitForURL(/\/desk\/editions$/, { waitUntil: 'domcontentloaded' }),
      page.click('button[type="submit"]'),
    ]);
    await check(page, 'desk-editions');

    await page.goto(`${server.url}/desk/e/${EDITION}`);
    // The preview frames move the page while they load: act once it has settled, by keyboard.
    await page.waitForLoadState('load');
    await Promise.all([
      page.waitForURL(/note=Approved/, { waitUntil: 'domcontentloaded' }),
      page.locator('button.primary:has-text("Approve")').press('Enter'),
    ]);
    await check(page, 'desk-edition');
    // Times read in the newsletter's zone (Europe/London), the instant in <time datetime>.
    const slot = page.locator('p.status time').last();
    expect(await slot.getAttribute('datetime')).toBe('2026-11-28T07:00:00.000Z');
    expect(await slot.innerText()).toBe('28 Nov 2026, 07:00 GMT');
    expect(await page.locator('table.audit time').first().innerText()).toMatch(
      /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} GMT$/,
    );

    // The old one-click form, posted as it was: it leads to the confirmation, nothing is sent.
    await Promise.all([
      page.waitForURL(/\/send$/, { waitUntil: 'domcontentloaded' }),
      page.evaluate(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = location.pathname;
        const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
        for (const [name, value] of [
          ['_csrf', csrf],
          ['op', 'send'],
        ]) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name!;
          input.value = value!;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }),
    ]);
    expect((await server.ctx.store.editions.getEdition(EDITION))!.status).toBe('approved');
    expect((await server.ctx.store.ledger.counts(EDITION)).total).toBe(0);

    await page.goto(`${server.url}/desk/e/${EDITION}`);
    await page.waitForLoadState('load');
    await Promise.all([
      page.waitForURL(/\/send$/, { waitUntil: 'domcontentloaded' }),
      page.locator('a:has-text("Send now")').press('Enter'),
    ]);
    const audience = await server.ctx.store.subscribers.count('daily', server.clock.now());
    expect(audience).toBeGreaterThan(1);
    expect(await page.locator('.audience .count').innerText()).toBe(String(audience));
    expect(await page.locator('button[type="submit"].danger').innerText()).toBe(`Send to ${audience} reader(s)`);
    await check(page, 'desk-send-confirm');
    expect(sink.messages).toHaveLength(0);

    await Promise.all([
      page.waitForURL(/note=Sending/, { waitUntil: 'domcontentloaded' }),
      page.locator('button:has-text("Send to")').click(),
    ]);
    await expect
      .poll(async () => (await server.ctx.store.editions.getEdition(EDITION))!.status, { timeout: 60_000 })
      .toBe('sent');
    expect(sink.messages).toHaveLength(audience);
    await page.goto(`${server.url}/desk/e/${EDITION}`);
    await check(page, 'desk-edition-sent');
    await page.goto(`${server.url}/desk/editions`);
    await check(page, 'desk-editions-sent');
    await page.context().close();
    mail = await simpleParser(sink.messages.find((m) => m.to.includes('ada.lovelace@example.org'))!.raw);
    expect(problems.splice(0)).toEqual([]);
  }, 180_000);

  it("the subscriber and public pages pass axe in light and dark; time zones are canonical, grouped, the reader's first", async () => {
    expect(mail, 'the send of the first test').toBeDefined();
    const local = (url: string) => `${server.url}${new URL(url).pathname}`;
    const unsubscribe = /<(https?:\/\/[^>]+\/u\/[^>]+)>/.exec(
      mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '',
    )![1]!;
    const preferences = /href="(https?:\/\/[^"]+\/p\/[^"]+)"/.exec(String(mail.html))![1]!;
    const page = await narrowPage();

    await page.goto(`${server.url}/e/daily/2026-11-28T07:00`);
    // The edition page is the email's own 600 px layout, responsive below it; axe runs on it as on the rest.
    await check(page, 'edition');
    await page.goto(`${server.url}/archive/daily`);
    await check(page, 'archive');
    await page.goto(`${server.url}/s/daily`);
    await check(page, 'signup');
    await page.fill('input[name=email]', 'new.reader@example.org');
    await page.click('form button[type=submit]');
    await page.waitForSelector('h1:has-text("Check your inbox")');
    await check(page, 'signup-sent');
    await page.goto(`${server.url}/nothing-here`);
    await check(page, 'error-404');
    await page.goto(local(unsubscribe));
    await check(page, 'unsubscribe');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:has-text("You are unsubscribed")');
    await check(page, 'unsubscribed');

    // A reader whose stored zone is an old IANA name sees it by today's name, first and selected.
    const token = new URL(preferences).pathname.split('/').pop()!;
    const current = await server.ctx.store.subscribers.findByEmail('ada.lovelace@example.org');
    await server.ctx.store.subscribers.setProfile(
      current!.id,
      { locale: current!.locale, timezone: 'Asia/Calcutta', pausedUntil: null },
      server.clock.now(),
    );
    await page.goto(`${server.url}/p/${token}`);
    const zones = await page.locator('select[name="timezone"]').evaluate((select) => ({
      first: (select as HTMLSelectElement).options[0]!.value,
      selected: (select as HTMLSelectElement).value,
      groups: Array.from(select.querySelectorAll('optgroup'), (group) => group.label),
      values: Array.from((select as HTMLSelectElement).options, (option) => option.value),
      kolkataGroup: select.querySelector('option[value="Asia/Kolkata"]')?.parentElement?.tagName ?? null,
      tokyoGroup:
        (select.querySelector('option[value="Asia/Tokyo"]')?.parentElement as HTMLOptGroupElement | null)?.label ??
        null,
    }));
    expect(zones.first).toBe('Asia/Kolkata');
    expect(zones.selected).toBe('Asia/Kolkata');
    expect(zones.kolkataGroup).toBe('SELECT'); // shown once, on top
    expect(zones.tokyoGroup).toBe('Asia');
    expect(zones.groups).toEqual(
      expect.arrayContaining(['Africa', 'America', 'Asia', 'Australia', 'Europe', 'Pacific']),
    );
    for (const legacy of ['Asia/Calcutta', 'Europe/Kiev', 'Asia/Saigon', 'America/Godthab'])
      expect(zones.values).not.toContain(legacy);
    expect(zones.values).toContain('Europe/Kyiv');
    expect(zones.values.filter((value) => value === 'Europe/Kyiv')).toHaveLength(1);
    await check(page, 'preferences');

    await page.click('form:has(input[value=erase]) button');
    await page.waitForSelector('input[value="erase-confirm"]', { state: 'attached' });
    expect(await page.locator('.kicker').textContent()).toBe('The Daily Tidings');
    await check(page, 'erase-confirm');
    await page.click('button[type=submit]');
    await page.waitForSelector('h1:has-text("Your data is erased")');
    expect(await page.locator('.kicker').textContent()).toBe('The Daily Tidings');
    await check(page, 'erased');
    expect(problems.splice(0)).toEqual([]);
  }, 180_000);
});
