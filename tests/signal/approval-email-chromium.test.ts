import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalOperationsFromContext } from '../../src/app/approvals/approval-operations.ts';
import { signApprovalToken } from '../../src/app/approvals/approval-links.ts';
import { notifyEditors } from '../../src/app/notify-editors.ts';
import { editionFolderName } from '../../src/delivery/outbox-transport.ts';
import { createApprovalRoutes } from '../../src/web/public/approval-routes.ts';
import { AT, EDITION, startDeskServer, type DeskServer } from '../desk/support/desk-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const EDITORS = ['ann@example.org', 'bob@example.org'];

describe('approve from the email, in real Chromium: forged, expired, reused and valid buttons', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-approval-'));
  let server: DeskServer;
  let browser: Browser;
  /** Each editor's buttons from their own approval email, as paths on the test server. */
  const buttons = new Map<string, { approve: string; skip: string; desk: string }>();

  beforeAll(async () => {
    server = await startDeskServer(dir, {
      editYaml: (yaml) => `${yaml}\neditors: [${EDITORS.join(', ')}]\n`,
      modules: (ctx) => [createApprovalRoutes(approvalOperationsFromContext(ctx))],
    });
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    expect(await notifyEditors(server.ctx, 'daily', edition)).toEqual(EDITORS);
    const folder = path.join(dir, 'outbox', editionFolderName(`${EDITION}-approval`));
    for (const file of readdirSync(folder)) {
      const mail = await simpleParser(readFileSync(path.join(folder, file)));
      const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.value[0]!.address!;
      const href = (label: string) => {
        const found = new RegExp(`<a href="([^"]+)"[^>]*>${label}</a>`).exec(String(mail.html));
        if (!found) throw new Error(`no "${label}" button in the email to ${to}`);
        return found[1]!.replaceAll('&amp;', '&').replace('http://127.0.0.1:8080', '');
      };
      buttons.set(to, { approve: href('Approve'), skip: href('Skip this slot'), desk: href('Open in the desk') });
      expect(mail.text).toContain('Approve: http://127.0.0.1:8080/a/');
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a button's link as a reader of the email would (no desk session), returns the page and its status. */
  async function open(link: string): Promise<{ page: Page; status: number }> {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}${link}`);
    return { page, status: response!.status() };
  }
  const status = async () => (await server.ctx.store.editions.getEdition(EDITION))!.status;

  it('each editor gets their own buttons; the desk button is the desk link', () => {
    const ann = buttons.get('ann@example.org')!;
    const bob = buttons.get('bob@example.org')!;
    expect(ann.approve).toMatch(/^\/a\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(ann.approve).not.toBe(bob.approve);
    expect(ann.approve).not.toBe(ann.skip);
    expect(ann.desk).toBe('/desk/e/daily/2026-11-28T07%3A00');
  });

  it('a forged or altered button shows "not valid" and changes nothing', async () => {
    const ann = buttons.get('ann@example.org')!;
    const token = ann.approve.slice(3);
    const altered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    const forged = signApprovalToken(
      { editionId: EDITION, action: 'approve', editor: 'mallory@example.org', expiresAt: new Date('2027-01-01') },
      'not-the-secret-0123456789',
    );
    for (const link of [`/a/${altered}`, `/a/${forged}`]) {
      const { page, status: code } = await open(link);
      expect(code).toBe(400);
      expect(await page.locator('h1').textContent()).toBe('Link not valid');
      expect(await page.locator('form').count()).toBe(0);
      await page.close();
    }
    expect(await status()).toBe('draft');
  });

  it('a valid button asks first (GET changes nothing), approves on the POST, records the editor; a second use is refused', async () => {
    const ann = buttons.get('ann@example.org')!;
    // A mail scanner's HEAD and GET, as gateways open every link of a message: nothing happens.
    for (const method of ['HEAD', 'GET'])
      expect((await fetch(`${server.url}${ann.approve}`, { method })).status).toBe(200);
    expect(await status()).toBe('draft');
    const { page, status: code } = await open(ann.approve);
    expect(code).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Approve this edition?');
    expect(await status()).toBe('draft');
    await Promise.all([
      page.waitForURL(`${server.url}/a`),
      page.getByRole('button', { name: 'Yes, approve it' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Approved');
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    expect(edition.status).toBe('approved');
    expect(edition.approvedBy).toBe('ann@example.org');
    const [entry] = await server.ctx.store.audit.list({ editionId: EDITION });
    expect(entry).toMatchObject({ actor: 'ann@example.org', action: 'approve', editionId: EDITION });
    // Reloading the result re-posts the form: the token is spent.
    const reposted = await page.reload();
    expect(reposted!.status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('Link already used');
    await page.close();
    const again = await open(ann.approve);
    expect(again.status).toBe(409);
    expect(await again.page.locator('h1').textContent()).toBe('Link already used');
    await again.page.close();
    expect(await server.ctx.store.audit.list({ editionId: EDITION })).toHaveLength(1);
  });

  it('another editor skips the slot with their own button; the audit log names them', async () => {
    const bob = buttons.get('bob@example.org')!;
    const { page } = await open(bob.skip);
    expect(await page.locator('h1').textContent()).toBe('Skip this slot?');
    await Promise.all([
      page.waitForURL(`${server.url}/a`),
      page.getByRole('button', { name: 'Yes, skip this slot' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Skipped');
    await page.close();
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    expect(edition.status).toBe('skipped');
    expect(edition.statusReason).toBe('skipped by bob@example.org from the approval email');
    const [entry] = await server.ctx.store.audit.list({ editionId: EDITION });
    expect(entry).toMatchObject({ actor: 'bob@example.org', action: 'skip', details: { via: 'approval email' } });
  });

  it('after the approval deadline a button has expired, even unused', async () => {
    const ann = buttons.get('ann@example.org')!;
    // Slot 07:00Z plus the default approvalDeadline of 1h.
    server.clock.set(new Date(new Date(AT).getTime() + 3_600_000));
    try {
      const { page, status: code } = await open(ann.skip);
      expect(code).toBe(410);
      expect(await page.locator('h1').textContent()).toBe('Link expired');
      await page.close();
      // A POST of the token (a page kept open past the deadline) is refused the same way.
      const posted = await fetch(`${server.url}/a`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: ann.skip.slice(3) }).toString(),
      });
      expect(posted.status).toBe(410);
    } finally {
      server.clock.set(AT);
    }
    expect(await server.ctx.store.audit.list({ editionId: EDITION })).toHaveLength(2);
  });
});
