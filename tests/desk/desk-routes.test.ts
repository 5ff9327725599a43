import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from './support/desk-server.ts';

/** A tiny browser: cookies kept per client, forms posted url-encoded, redirects not followed. */
function client(base: string) {
  const jar = new Map<string, string>();
  const request = async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const response = await fetch(new URL(path, base), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
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
    return { status: response.status, location: response.headers.get('location'), text: await response.text(), cookies: response.headers.getSetCookie(), headers: response.headers };
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
    const edition = await server.ctx.store.editions.getEdition(EDITION);
    expect(edition!.articles.find((a) => a.articleId === article)!.excluded).toBe(false);
    // The login form has its own token too.
    expect((await client(server.url).request('/desk/login', { form: { login: 'ann', password: PASSWORDS.ann } })).status).toBe(403);
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
    expect(upcoming).toContain('2026-11-29 05:00 UTC · needs approval');
    const awaiting = page.text.slice(page.text.indexOf('Awaiting approval'), page.text.indexOf('<h2>Sending'));
    expect(awaiting).toContain(EDITION);
    expect(awaiting).toContain('approval deadline 2026-11-28 08:00 UTC, then skipped');
  });

  it('locks an account after 5 failed logins; an editor who is not an admin cannot send; sessions expire when idle', async () => {
    server = await startDeskServer(tempDir());
    const attacker = client(server.url);
    for (let i = 0; i < 4; i++) expect((await attacker.login('root', 'wrong password')).status).toBe(401);
    const locked = await attacker.login('root', 'wrong password');
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/locked/);
    expect((await attacker.login('root', PASSWORDS.root)).text).toMatch(/locked/);

    const ann = client(server.url);
    await ann.login('ann', PASSWORDS.ann);
    const page = await ann.request(`/desk/e/${EDITION}`);
    expect(page.text).not.toMatch(/Send now/);
    await server.ctx.store.editions.setStatus(EDITION, 'approved', { at: server.clock.now(), approvedBy: 'ann' });
    const send = await ann.request(`/desk/e/${EDITION}`, { form: { op: 'send', _csrf: ann.csrfOf(page.text) } });
    expect(send.status).toBe(403);
    expect((await server.ctx.store.editions.getEdition(EDITION))!.status).toBe('approved');

    // Send progress as server-sent events: the ledger's counts; the stream ends when nothing is sending.
    const progress = await ann.request(`/desk/e/${EDITION}/progress`);
    expect(progress.headers.get('content-type')).toBe('text/event-stream');
    const event = JSON.parse(/^data: (.*)$/m.exec(progress.text)![1]!) as { status: string; total: number; rate: number; secondsLeft: number | null };
    expect(event).toMatchObject({ status: 'approved', total: 0, rate: 0, secondsLeft: null });

    server.clock.advance(11 * 3600_000);
    const still = await ann.request('/desk/editions');
    expect(still.status).toBe(200); // used within 12 h: still in
    server.clock.advance(12 * 3600_000 + 1000);
    expect((await ann.request('/desk/editions')).location).toBe('/desk/login');
    const log = await server.ctx.store.audit.list({});
    expect(log.some((e) => e.actor === 'root' && e.action === 'login.lockout')).toBe(true);
  });
});
