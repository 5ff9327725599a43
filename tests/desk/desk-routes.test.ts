import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import type { Recipient } from '../../src/subscribers/subscriber-store.ts';
import { feedbackView } from '../../src/web/desk/feedback-view.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from './support/desk-server.ts';

/** A tiny browser: cookies kept per client, forms posted url-encoded, redirects not followed. */
function client(base: string, headers: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  const request = async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const response = await fetch(new URL(path, base), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...headers,
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, value] = pair!.split('=');
      if (value) jar.set(name!, value);
      else jar.delete(name!);
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      text: await response.text(),
      cookies: response.headers.getSetCookie(),
      headers: response.headers,
    };
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    request,
    csrfOf,
    jar,
    async login(name: string, password: string) {
      const page = await request('/desk/login');
      return request('/desk/login', { form: { _csrf: csrfOf(page.text), login: name, password } });
    },
  };
}

describe('desk over HTTP: sessions, CSRF, lockout, roles', () => {
  const tempDir = useTempDir('tidings-desk-');
  let server: DeskServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sets an HttpOnly, SameSite=Lax, Secure session cookie (https base URL), new at each login; refuses a form without the CSRF token', async () => {
    server = await startDeskServer(tempDir(), { baseUrl: 'https://news.example.org' });
    const browser = client(server.url);
    expect((await browser.request('/desk/editions')).location).toBe('/desk/login');
    const first = await browser.login('ann', PASSWORDS.ann);
    expect(first.status).toBe(303);
    const cookie = first.cookies.find((c) => c.startsWith('tidings_desk='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const firstId = browser.jar.get('tidings_desk');
    await browser.login('ann', PASSWORDS.ann);
    expect(browser.jar.get('tidings_desk')).not.toBe(firstId);

    const page = await browser.request(`/desk/e/${EDITION}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    const article = /data-id="([^"]+)"/.exec(page.text)![1]!;
    const forged = await browser.request(`/desk/e/${EDITION}`, { form: { op: 'exclude', article, _csrf: 'forged' } });
    expect(forged.status).toBe(403);
    const missing = await browser.request(`/desk/e/${EDITION}`, { form: { op: 'exclude', article } });
    expect(missing.status).toBe(403);
    // As many characters as the real token, but more bytes: refused, not a crash (500).
    const multibyte = await browser.request(`/desk/e/${EDITION}`, {
      form: { op: 'exclude', article, _csrf: 'é'.repeat(browser.csrfOf(page.text).length) },
    });
    expect(multibyte.status).toBe(403);
    const loginPage = await client(server.url).request('/desk/login');
    const multibyteLogin = await client(server.url).request('/desk/login', {
      form: {
        _csrf: 'ü'.repeat(client(server.url).csrfOf(loginPage.text).length),
        login: 'ann',
        password: PASSWORDS.ann,
      },
    });
    expect(multibyteLogin.status).toBe(403);
    const edition = await server.ctx.store.editions.getEdition(EDITION);
    expect(edition!.articles.find((a) => a.articleId === article)!.excluded).toBe(false);
    // The login form has its own token too.
    expect(
      (await client(server.url).request('/desk/login', { form: { login: 'ann', password: PASSWORDS.ann } })).status,
    ).toBe(403);
  });

  it('lists the upcoming slots of the schedule before any draft exists, and the approval deadline of a waiting draft', async () => {
    server = await startDeskServer(tempDir());
    const browser = client(server.url);
    await browser.login('ann', PASSWORDS.ann);
    const page = await browser.request('/desk/editions');
    expect(page.status).toBe(200);
    const upcoming = page.text.slice(page.text.indexOf('Upcoming slots'), page.text.indexOf('<h2>Drafts'));
    // The clock stands at the 07:00 slot, whose draft exists: the next three are the following days.
    expect(upcoming).toContain('daily/2026-11-29T07:00');
    expect(upcoming).toContain('daily/2026-12-01T07:00');
    expect(upcoming).not.toContain(EDITION);
    // Approval required: the draft is prepared two hours ahead (prepareAhead's default).
    expect(upcoming).toContain(
      '<time datetime="2026-11-29T05:00:00.000Z">29 Nov 2026, 05:00 GMT</time> · needs approval',
    );
    const awaiting = page.text.slice(page.text.indexOf('Awaiting approval'), page.text.indexOf('<h2>Sending'));
    expect(awaiting).toContain(EDITION);
    expect(awaiting).toContain(
      'approval deadline <time datetime="2026-11-28T08:00:00.000Z">28 Nov 2026, 08:00 GMT</time>, then skipped',
    );
  });

  it("blocks a stranger's address, not the owner's, answering like a wrong password; admins lift it on /desk/accounts; editors cannot send", async () => {
    // Behind a proxy (trustProxy): X-Forwarded-For names the client address.
    server = await startDeskServer(tempDir(), { web: '  trustProxy: true\n' });
    const errorOf = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    const attacker = client(server.url, { 'x-forwarded-for': '203.0.113.7' });
    const unknown = await attacker.login('nobody-at-all', 'wrong password');
    expect(unknown.status).toBe(401);
    for (let i = 0; i < 5; i++) {
      const wrong = await attacker.login('root', 'wrong password');
      expect([wrong.status, errorOf(wrong.text)]).toEqual([401, errorOf(unknown.text)]);
    }
    const blocked = await attacker.login('root', PASSWORDS.root);
    expect([blocked.status, errorOf(blocked.text)]).toEqual([401, errorOf(unknown.text)]);

    const root = client(server.url, { 'x-forwarded-for': '198.51.100.2' });
    expect((await root.login('root', PASSWORDS.root)).status).toBe(303);
    const accounts = await root.request('/desk/accounts');
    expect(accounts.status).toBe(200);
    expect(accounts.text).toContain('203.0.113.7: 5 failed, blocked until 2026-11-28T07:15:00.000Z');
    const lifted = await root.request('/desk/accounts/unlock', {
      form: { _csrf: root.csrfOf(accounts.text), name: 'root', address: '203.0.113.7' },
    });
    expect(lifted.text).toContain('Lifted the lockout of root from 203.0.113.7.');
    expect(lifted.text).not.toContain('blocked until');
    expect((await attacker.login('root', PASSWORDS.root)).status).toBe(303);

    const ann = client(server.url);
    await ann.login('ann', PASSWORDS.ann);
    expect((await ann.request('/desk/accounts')).status).toBe(403);
    const page = await ann.request(`/desk/e/${EDITION}`);
    expect(page.text).not.toMatch(/Send now/);
    await server.ctx.store.editions.setStatus(EDITION, 'approved', { at: server.clock.now(), approvedBy: 'ann' });
    const send = await ann.request(`/desk/e/${EDITION}`, { form: { op: 'send', _csrf: ann.csrfOf(page.text) } });
    expect(send.status).toBe(403);
    expect((await server.ctx.store.editions.getEdition(EDITION))!.status).toBe('approved');

    // Send progress as server-sent events: the ledger's counts; the stream ends when nothing is sending.
    const progress = await ann.request(`/desk/e/${EDITION}/progress`);
    expect(progress.headers.get('content-type')).toBe('text/event-stream');
    const event = JSON.parse(/^data: (.*)$/m.exec(progress.text)![1]!) as {
      status: string;
      total: number;
      rate: number;
      secondsLeft: number | null;
    };
    expect(event).toMatchObject({ status: 'approved', total: 0, rate: 0, secondsLeft: null });

    server.clock.advance(11 * 3600_000);
    const still = await ann.request('/desk/editions');
    expect(still.status).toBe(200); // used within 12 h: still in
    server.clock.advance(12 * 3600_000 + 1000);
    expect((await ann.request('/desk/editions')).location).toBe('/desk/login');
    const log = await server.ctx.store.audit.list({});
    expect(log.some((e) => e.actor === 'root' && e.action === 'login.lockout')).toBe(true);
  });

  it("gives a logged-in editor their own request budget: curating with previews never meets the readers' per-address limit", async () => {
    server = await startDeskServer(tempDir(), { perMinute: 10 });
    const editor = client(server.url);
    expect((await editor.login('ann', PASSWORDS.ann)).status).toBe(303);
    const page = await editor.request(`/desk/e/${EDITION}`);
    const preview = /<iframe[^>]+src="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    // Five curation rounds: the page, its preview frames and the editions list, 20 requests.
    for (let round = 0; round < 5; round++) {
      for (const path of [`/desk/e/${EDITION}`, preview, preview, '/desk/editions'])
        expect((await editor.request(path)).status, path).toBe(200);
    }
    // Static files are never counted, for anyone.
    const stranger = client(server.url);
    for (let i = 0; i < 15; i++) expect((await stranger.request('/desk/assets/desk.css')).status).toBe(200);
    // Without a session, the desk counts against the address's limit (10 a minute).
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await stranger.request('/desk/login')).status);
    expect(statuses).toContain(429);
    expect((await editor.request('/desk/editions')).status).toBe(200);
  }, 120_000);

  it('shows bounce and complaint rates per edition on the list and the edition page, warning above 0.3% complaints', async () => {
    server = await startDeskServer(tempDir());
    const { ctx } = server;
    const recipients: Recipient[] = [];
    for await (const r of ctx.store.subscribers.streamRecipients('daily', { batchSize: 50 })) recipients.push(r);
    expect(recipients.length).toBeGreaterThanOrEqual(4);
    const at = server.clock.now();
    await ctx.store.ledger.ensurePending(
      EDITION,
      recipients.map((r) => r.id),
    );
    for (const r of recipients) {
      await ctx.store.ledger.claim(EDITION, r.id, at);
      await ctx.store.ledger.recordAccepted(EDITION, r.id, at, {
        messageId: `<${r.id}@x>`,
        response: '250 ok',
        segment: 's',
        articleIds: [],
      });
    }
    await ctx.store.editions.setStatus(EDITION, 'sending', { at });
    await ctx.store.editions.setStatus(EDITION, 'sent', { at });
    const record = (i: number, kind: 'hard-bounce' | 'soft-bounce' | 'complaint') =>
      ctx.store.deliveryEvents.record({
        editionId: EDITION,
        subscriberId: recipients[i]!.id,
        kind,
        status: kind === 'complaint' ? 'abuse' : '5.1.1',
        detail: null,
        reportId: `r${i}${kind}`,
        at,
      });

    const browser = client(server.url);
    await browser.login('ann', PASSWORDS.ann);
    const sentOf = (html: string) => html.slice(html.indexOf('<h2>Sent'), html.indexOf('<h2>Skipped'));
    // Nothing came back yet: no feedback line at all.
    expect(sentOf((await browser.request('/desk/editions')).text)).not.toContain('hard bounced');

    await record(0, 'hard-bounce');
    await record(1, 'soft-bounce');
    const pct = (n: number) => `${((n / recipients.length) * 100).toFixed(2)}%`;
    let list = sentOf((await browser.request('/desk/editions')).text);
    expect(list).toContain(EDITION);
    expect(list).toContain(`1 hard bounced (${pct(1)}), 1 soft, 0 complaint(s) (0.00%)`);
    expect(list).not.toContain('complaints above 0.3%');
    let page = (await browser.request(`/desk/e/${EDITION}`)).text;
    expect(page).toContain(`1 hard bounce(s) (${pct(1)} of accepted), 1 soft, 0 complaint(s) (0.00%)`);
    expect(page).not.toContain('complaint-warning');

    // One complaint among a handful of deliveries is far above Gmail's 0.3%.
    await record(2, 'complaint');
    list = sentOf((await browser.request('/desk/editions')).text);
    expect(list).toContain(`1 complaint(s) (${pct(1)})`);
    expect(list).toContain('complaints above 0.3%');
    page = (await browser.request(`/desk/e/${EDITION}`)).text;
    expect(page).toMatch(new RegExp(`role="alert">Complaint rate ${pct(1).replace('.', '\\.')} is above 0\\.3%`));
  });

  it('serves desk.css and desk.js from templates.dir when a file is there, else the bundled one', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'house/web/desk'), { recursive: true });
    writeFileSync(path.join(dir, 'house/web/desk/desk.css'), 'body { background: #fdf6e3; } /* house style */');
    server = await startDeskServer(dir, { desk: 'templates:\n  dir: house\n' });
    const css = await fetch(new URL('/desk/assets/desk.css', server.url));
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('/* house style */');
    const js = await (await fetch(new URL('/desk/assets/desk.js', server.url))).text();
    expect(js).toBe(readFileSync(path.resolve('templates/web/desk/desk.js'), 'utf8'));
  });

  it('puts the complaint warning strictly above 0.3% of accepted deliveries', () => {
    expect(feedbackView({ hardBounces: 0, softBounces: 0, complaints: 0 }, 1000)).toBeNull();
    expect(feedbackView({ hardBounces: 0, softBounces: 0, complaints: 3 }, 1000)).toMatchObject({
      complaintRate: '0.30%',
      complaintWarning: false,
    });
    expect(feedbackView({ hardBounces: 0, softBounces: 0, complaints: 4 }, 1000)).toMatchObject({
      complaintRate: '0.40%',
      complaintWarning: true,
    });
    // Reports for an edition with nothing accepted (a purged ledger): counts, no rate, no warning.
    expect(feedbackView({ hardBounces: 1, softBounces: 0, complaints: 1 }, 0)).toMatchObject({
      bounceRate: '-',
      complaintRate: '-',
      complaintWarning: false,
    });
  });
});
