import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliWorkspace, type CliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';

/**
 * The whole loop as readers meet it: `tidings send` through a real SMTP server on
 * 127.0.0.1, `tidings serve` running as its own process (from the sources), and Debian's
 * headless Chromium opening the links from the messages the SMTP server received.
 */
const CHROMIUM = '/usr/bin/chromium';
const MINUTE = 60_000;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `List-Unsubscribe: <https://…/u/TOKEN>, <mailto:…>` → the http(s) URL. */
function unsubscribeUrl(mail: ParsedMail): string {
  const header = mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
  const found = /<(https?:\/\/[^>]+)>/.exec(header)?.[1];
  if (!found) throw new Error(`no http List-Unsubscribe in: ${header}`);
  return found;
}

function preferencesUrl(mail: ParsedMail): string {
  const found = /href="(http:\/\/127\.0\.0\.1:\d+\/p\/[^"]+)"/.exec(String(mail.html))?.[1];
  if (!found) throw new Error('no preferences link in the message');
  return found;
}

describe.skipIf(!fs.existsSync(CHROMIUM))('subscriber pages in headless Chromium against tidings serve', () => {
  // One folder for the whole sequence (useTempDir empties after each test).
  let dir = '';
  let browser: Browser;
  let page: Page;
  let sink: SmtpSink;
  let ws: CliWorkspace;
  let server: ChildProcess;
  let serverOut = '';
  let base = '';
  const first = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
  const slots = [0, 1, 2].map((n) => new Date(first + n * MINUTE).toISOString());
  const parsed = new Map<number, ParsedMail>();

  /** The messages the SMTP server accepted for one slot's send, by recipient. */
  async function mailsSince(index: number): Promise<Map<string, ParsedMail>> {
    const byRecipient = new Map<string, ParsedMail>();
    for (let i = index; i < sink.messages.length; i++) {
      if (!parsed.has(i)) parsed.set(i, await simpleParser(sink.messages[i]!.raw));
      byRecipient.set(sink.messages[i]!.to[0]!, parsed.get(i)!);
    }
    return byRecipient;
  }

  async function send(slotIndex: number): Promise<Map<string, ParsedMail>> {
    const before = sink.messages.length;
    ws.addArticles(slots[slotIndex]!);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now: slots[slotIndex]! });
    expect((await cli(['ingest'])).code).toBe(0);
    const sent = await cli(['send', 'daily', '--at', slots[slotIndex]!]);
    expect(sent.code, sent.err).toBe(0);
    return mailsSince(before);
  }

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    sink = await startSmtpSink();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-web-e2e-'));
    ws = createCliWorkspace(dir, { subscribers: ['ann@example.org', 'bob@example.org', 'cat@example.org'] });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = fs
      .readFileSync(ws.configFile, 'utf8')
      .replace('baseUrl: https://news.example.org', `baseUrl: ${base}\n  port: ${port}`)
      .replace('    timezone: UTC\n', '    timezone: UTC\n    signup: true\n    public: true\n');
    fs.writeFileSync(ws.configFile, config);
    expect((await ws.cli(['subscribers', 'sync'], { smtpUrl: sink.url, now: slots[0]! })).code).toBe(0);

    server = spawn(process.execPath, tidingsProcessArgs('-c', ws.configFile, 'serve'), {
      env: { ...process.env, SMTP_URL: sink.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stderr!.on('data', (chunk) => (serverOut += chunk));
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk) => {
        serverOut += chunk;
        if (serverOut.includes('listening on')) resolve();
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${serverOut}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (process.env.DEBUG_WEB_E2E) console.log(serverOut);
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await browser?.close();
    await sink?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the List-Unsubscribe URL of a received message and unsubscribes with the button', async () => {
    const mails = await send(0);
    expect([...mails.keys()].sort()).toEqual(['ann@example.org', 'bob@example.org', 'cat@example.org']);
    const url = unsubscribeUrl(mails.get('ann@example.org')!);
    expect(url.startsWith(`${base}/u/`)).toBe(true);

    const shown = await page.goto(url);
    expect(shown!.status()).toBe(200);
    expect(shown!.headers()['referrer-policy']).toBe('no-referrer');
    await expect(page.locator('h1').textContent()).resolves.toContain('Unsubscribe from Test Daily');
    await expect(page.locator('main').textContent()).resolves.toContain('a***@example.org');
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('h1').textContent()).resolves.toBe('You are unsubscribed');
    // Idempotent: the page again, and the button's POST again, change nothing more.
    await page.goto(url);
    await expect(page.locator('h1').textContent()).resolves.toBe('You are unsubscribed');
    await expect(page.locator('a', { hasText: 'Manage preferences' }).count()).resolves.toBe(1);
  });

  it('takes the RFC 8058 POST as a mail client makes it: exact body, no cookie', async () => {
    const url = unsubscribeUrl((await mailsSince(0)).get('bob@example.org')!);
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('answers a tampered token with the 400 page and changes nothing', async () => {
    const url = unsubscribeUrl((await mailsSince(0)).get('cat@example.org')!);
    const tampered = url.slice(0, -2) + (url.endsWith('AA') ? 'BB' : 'AA');
    const response = await page.goto(tampered);
    expect(response!.status()).toBe(400);
    await expect(page.locator('h1').textContent()).resolves.toBe('This link does not work');
    const posted = await fetch(tampered, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(400);
  });

  it('saves preferences that the next send honours, and signs up a new reader through the confirmation mail', async () => {
    await page.goto(preferencesUrl((await mailsSince(0)).get('cat@example.org')!));
    await page.selectOption('select[name=locale]', 'de');
    await page.click('form:has(input[value=save]) button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('.notice').textContent()).resolves.toContain('Einstellungen sind gespeichert');

    await page.goto(`${base}/s/daily`);
    await page.fill('input[name=email]', 'dan@example.org');
    await page.fill('input[name=name]', 'Dan');
    const before = sink.messages.length;
    await page.click('form button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('h1').textContent()).resolves.toBe('Check your inbox');
    await expect.poll(() => sink.messages.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const confirmation = (await mailsSince(before)).get('dan@example.org')!;
    const confirmUrl = /(http:\/\/127\.0\.0\.1:\d+\/s\/daily\/confirm\/\S+)/.exec(String(confirmation.text))?.[1];
    expect(confirmUrl, String(confirmation.text)).toBeDefined();
    // Link scanners and previews fetch the link (HEAD, GET): that subscribes nobody.
    expect((await fetch(confirmUrl!, { method: 'HEAD' })).status).toBe(200);
    const scanned = await (await fetch(confirmUrl!)).text();
    expect(scanned).toContain('Confirm subscription');
    await page.goto(confirmUrl!);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Confirm your subscription to /);
    await page.click('form button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('h1').textContent()).resolves.toBe('You are subscribed');
    // The link used once more shows the result, with no button to press again.
    await page.goto(confirmUrl!);
    await expect(page.locator('h1').textContent()).resolves.toBe('You are subscribed');

    const mails = await send(1);
    expect([...mails.keys()].sort()).toEqual(['cat@example.org', 'dan@example.org']);
    expect(String(mails.get('cat@example.org')!.html)).toContain('Im Browser ansehen');
    expect(String(mails.get('dan@example.org')!.html)).toContain('View in browser');
  });

  it('erases a reader, and a later sync of the unchanged file does not add them back', async () => {
    await page.goto(preferencesUrl((await mailsSince(0)).get('cat@example.org')!));
    await page.click('form:has(input[value=erase]) button');
    await page.waitForLoadState();
    await page.click('form:has(input[value=erase-confirm]) button');
    await page.waitForLoadState();
    await expect(page.locator('h1').textContent()).resolves.toBe('Ihre Daten sind gelöscht');

    expect((await ws.cli(['subscribers', 'sync'], { smtpUrl: sink.url, now: slots[2]! })).code).toBe(0);
    const mails = await send(2);
    expect([...mails.keys()].sort()).toEqual(['dan@example.org']);
  });

  it('shows the edition and the public archive without personal data', async () => {
    await page.goto(`${base}/archive/daily`);
    const links = await page
      .locator('ol.archive a')
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toHaveLength(3);
    const edition = await page.goto(`${base}${links[0]}`);
    expect(edition!.status()).toBe(200);
    const html = await page.content();
    expect(html).toContain('Story');
    for (const personal of ['dan@example.org', '/u/', '/p/', 'Dan']) expect(html).not.toContain(personal);
    const feed = await fetch(`${base}/archive/daily/feed.atom`);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(await feed.text()).toContain(`<id>${base}/e/daily/`);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited, serverOut).toBe(0);
    expect(serverOut).toContain('stopped');
  });
});
