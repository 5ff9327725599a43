import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { signSubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { createStandInService, type StandIn } from './support/stand-in-service.ts';
import { buildWebApp } from './support/web-app.ts';

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let app: FastifyInstance;
afterEach(async () => {
  await app?.close();
});

async function start(service: StandIn = createStandInService(), overrides: Record<string, unknown> = {}) {
  const built = await buildWebApp(service, overrides);
  app = built.app;
  return { service, logLines: built.logLines };
}

describe('unsubscribe links (/u/)', () => {
  it('shows the newsletter, the masked address and one POST button, with the security headers', async () => {
    const { service } = await start();
    const response = await app.inject({ method: 'GET', url: `/u/${service.tokens.unsubscribe}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(CSP);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('Daily Brief');
    expect(response.body).toContain('r***@example.org');
    expect(response.body.match(/<form method="post" action="\/u\/[^"]+">/g)).toHaveLength(1);
    expect(response.body).not.toMatch(/<script/i);
    expect(service.calls.unsubscribe).toBe(0);
  });

  it('takes the RFC 8058 one-click POST exactly as a mail client sends it, at once and idempotently', async () => {
    const { service } = await start();
    const post = () =>
      app.inject({
        method: 'POST',
        url: `/u/${service.tokens.unsubscribe}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '26' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const first = await post();
    expect(first.statusCode).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(service.state).toBe('unsubscribed');
    expect(first.body).toContain('You are unsubscribed');
    expect(first.body).toContain('name="action" value="resubscribe"');
    expect(first.body).toContain(`href="/p/${service.tokens.preferences}"`);
    expect(service.calls.channels).toEqual(['one-click']);
    const second = await post();
    expect(second.statusCode).toBe(200);
    expect(service.state).toBe('unsubscribed');
    expect(service.calls.resubscribe).toBe(0);
  });

  it('accepts the one-click POST as multipart/form-data too (RFC 8058 allows both)', async () => {
    const { service } = await start();
    const boundary = 'xYzZY';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const response = await app.inject({
      method: 'POST',
      url: `/u/${service.tokens.unsubscribe}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(service.state).toBe('unsubscribed');
  });

  it('resubscribes from the same link', async () => {
    const { service } = await start();
    service.state = 'unsubscribed';
    const response = await app.inject({
      method: 'POST',
      url: `/u/${service.tokens.unsubscribe}`,
      headers: FORM,
      payload: 'action=resubscribe',
    });
    expect(response.statusCode).toBe(200);
    expect(service.state).toBe('active');
    expect(response.body).toContain('Welcome back');
  });

  it('answers tampered, truncated, foreign and hostile tokens with the 400 page and changes nothing', async () => {
    const { service } = await start();
    const token = service.tokens.unsubscribe;
    const flipped = token.slice(0, -3) + (token.at(-3) === 'A' ? 'B' : 'A') + token.slice(-2);
    const foreign = signSubscriberToken(
      { subscriberId: 7, newsletterId: 'daily', purpose: 'unsubscribe' },
      'another-server-secret-000000000',
    );
    const hostile = encodeURIComponent('<script>alert(1)</script>.x');
    for (const bad of [flipped, token.slice(0, 20), foreign, hostile, `${token}.extra`]) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await app.inject({
          method,
          url: `/u/${bad}`,
          headers: FORM,
          payload: 'List-Unsubscribe=One-Click',
        });
        expect(response.statusCode, `${method} ${bad}`).toBe(400);
        expect(response.body).toContain('This link does not work');
        expect(response.body).not.toContain('<script>alert');
        expect(response.headers['content-security-policy']).toBe(CSP);
      }
    }
    expect(service.state).toBe('active');
    expect(service.calls.unsubscribe).toBe(0);
  });

  it('logs requests without the token', async () => {
    const { service, logLines } = await start();
    await app.inject({ method: 'GET', url: `/u/${service.tokens.unsubscribe}?utm=x` });
    const line = logLines.map((text) => JSON.parse(text)).find((entry) => entry.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', url: '/u/[token]', status: 200, component: 'web' });
    expect(logLines.join('\n')).not.toContain(service.tokens.unsubscribe);
  });
});

describe('preferences (/p/)', () => {
  it("shows the form in the subscriber's locale and saves categories per newsletter", async () => {
    const service = createStandInService({ locale: 'de' });
    await start(service);
    const page = await app.inject({
      method: 'GET',
      url: `/p/${service.tokens.preferences}`,
      headers: { 'accept-language': 'ru' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-language']).toBe('de');
    expect(page.body).toContain('Ihre Einstellungen');
    expect(page.body).toContain('<optgroup label="Europe">');
    expect(page.body).toContain('<option value="Europe/Berlin">Berlin</option>');
    const saved = await app.inject({
      method: 'POST',
      url: `/p/${service.tokens.preferences}`,
      headers: FORM,
      payload:
        'action=save&shown=daily&newsletter=daily&categories.daily=science&locale=ru&timezone=Asia%2FTokyo&pausedUntil=2026-12-24',
    });
    expect(saved.statusCode).toBe(200);
    expect(service.calls.savePreferences[0]).toEqual({
      newsletters: [{ id: 'daily', subscribed: true, categories: ['science'] }],
      locale: 'ru',
      timezone: 'Asia/Tokyo',
      pausedUntil: '2026-12-24',
    });
    expect(saved.body).toContain('Настройки сохранены');
    expect(saved.body).toContain(
      '<select name="timezone">\n      <option value="Asia/Tokyo" selected>Asia/Tokyo</option>',
    );
  });

  it('erases only after the confirmation step', async () => {
    const { service } = await start();
    const ask = await app.inject({
      method: 'POST',
      url: `/p/${service.tokens.preferences}`,
      headers: FORM,
      payload: 'action=erase',
    });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('value="erase-confirm"');
    expect(service.calls.erase).toBe(0);
    const done = await app.inject({
      method: 'POST',
      url: `/p/${service.tokens.preferences}`,
      headers: FORM,
      payload: 'action=erase-confirm',
    });
    expect(done.body).toContain('Your data is erased');
    expect(service.calls.erase).toBe(1);
  });

  it('refuses unknown fields and malformed dates with 400, saving nothing', async () => {
    const { service } = await start();
    for (const payload of ['action=save&admin=1', 'action=save&pausedUntil=tomorrow', 'action=drop']) {
      const response = await app.inject({
        method: 'POST',
        url: `/p/${service.tokens.preferences}`,
        headers: FORM,
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
    }
    expect(service.calls.savePreferences).toHaveLength(0);
  });
});

describe('signup (/s/)', () => {
  it('shows a form for newsletters that take signups and 404 for the others', async () => {
    await start();
    const form = await app.inject({ method: 'GET', url: '/s/daily' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="email"');
    expect(form.body).toContain('name="website"');
    expect(form.body).toContain('value="security"');
    expect((await app.inject({ method: 'GET', url: '/s/closed' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/s/nope' })).statusCode).toBe(404);
  });

  it('answers "check your inbox" for a real request and a honeypot hit alike, and leaves per-address limits to the service', async () => {
    const { service } = await start();
    const post = (payload: string) => app.inject({ method: 'POST', url: '/s/daily', headers: FORM, payload });
    const real = await post('email=reader%40example.org&name=Ann&categories=science&locale=en');
    expect(real.statusCode).toBe(200);
    expect(service.calls.signups).toEqual([
      {
        newsletterId: 'daily',
        email: 'reader@example.org',
        name: 'Ann',
        categories: ['science'],
        locale: 'en',
        cadence: null,
      },
    ]);
    const bot = await post('email=bot%40example.org&website=http%3A%2F%2Fspam');
    expect(bot.body).toBe(real.body);
    expect(service.calls.signups).toHaveLength(1);
    // The service counts requests per address in the store (tests/app/subscriber-signup.test.ts).
    await post('email=reader%40example.org');
    const again = await post('email=READER%40example.org');
    expect(again.body).toBe(real.body);
    expect(service.calls.signups).toHaveLength(3);
  });

  it('re-renders the form for a bad address with the input escaped', async () => {
    await start();
    const response = await app.inject({
      method: 'POST',
      url: '/s/daily',
      headers: FORM,
      payload: `email=${encodeURIComponent('"><script>alert(1)</script>')}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script>alert(1)');
    expect(response.body).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('limits signup posts per address of the client (429 page)', async () => {
    await start(createStandInService(), {
      web: { baseUrl: 'https://news.example.org/', rateLimit: { signupPerHour: 2 } },
    });
    const post = (n: number) =>
      app.inject({ method: 'POST', url: '/s/daily', headers: FORM, payload: `email=r${n}%40example.org` });
    expect((await post(1)).statusCode).toBe(200);
    expect((await post(2)).statusCode).toBe(200);
    const limited = await post(3);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.body).toContain('Too many requests');
  });

  it('confirms with a valid link and gives the 400 page for a bad one', async () => {
    await start();
    const page = await app.inject({ method: 'GET', url: '/s/daily/confirm/c0nfirm.t0ken' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post" action="/s/daily/confirm/c0nfirm.t0ken">');
    const ok = await app.inject({ method: 'POST', url: '/s/daily/confirm/c0nfirm.t0ken' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('You are subscribed');
    expect((await app.inject({ method: 'GET', url: '/s/daily/confirm/forged.t0ken' })).statusCode).toBe(400);
  });
});

describe('bad input everywhere', () => {
  it('refuses bodies over 16 KB with the 413 page', async () => {
    const { service } = await start();
    const response = await app.inject({
      method: 'POST',
      url: `/u/${service.tokens.unsubscribe}`,
      headers: FORM,
      payload: `List-Unsubscribe=One-Click&x=${'a'.repeat(17 * 1024)}`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('Too much data');
    expect(service.state).toBe('active');
  });

  it('gives unknown routes a localized 404 page that reflects nothing', async () => {
    await start();
    const response = await app.inject({
      method: 'GET',
      url: '/nothing/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      headers: { 'accept-language': 'de-CH, en;q=0.5' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-language']).toBe('de-CH');
    expect(response.body).toContain('Seite nicht gefunden');
    expect(response.body).not.toContain('script');
    expect(response.headers['content-security-policy']).toBe(CSP);
  });

  it('serves the stylesheet from the server itself', async () => {
    await start();
    const css = await app.inject({ method: 'GET', url: '/assets/style.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('#c2410c');
  });
});

describe('the general limit per client address', () => {
  it('answers 429 past web.rateLimit.perMinute, never for /healthz, and per forwarded address behind a trusted proxy', async () => {
    await start(createStandInService(), {
      web: { baseUrl: 'https://news.example.org/', rateLimit: { perMinute: 3 }, trustProxy: '127.0.0.1' },
    });
    const get = (ip: string) =>
      app.inject({ method: 'GET', url: '/s/daily', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i++) expect((await get('203.0.113.5')).statusCode).toBe(200);
    const limited = await get('203.0.113.5');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get('198.51.100.7')).statusCode).toBe(200);
    const unknown = () =>
      app.inject({
        method: 'GET',
        url: '/wp-login.php',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': '198.51.100.7' },
      });
    expect((await unknown()).statusCode).toBe(404);
    expect((await unknown()).statusCode).toBe(404);
    expect((await unknown()).statusCode).toBe(429);
    for (let i = 0; i < 5; i++)
      expect(
        (
          await app.inject({
            method: 'GET',
            url: '/healthz',
            remoteAddress: '127.0.0.1',
            headers: { 'x-forwarded-for': '203.0.113.5' },
          })
        ).statusCode,
      ).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    await start(createStandInService(), { web: { baseUrl: 'https://news.example.org/', rateLimit: { perMinute: 2 } } });
    const get = (ip: string) =>
      app.inject({ method: 'GET', url: '/s/daily', remoteAddress: '192.0.2.1', headers: { 'x-forwarded-for': ip } });
    expect((await get('203.0.113.1')).statusCode).toBe(200);
    expect((await get('203.0.113.2')).statusCode).toBe(200);
    expect((await get('203.0.113.3')).statusCode).toBe(429);
  });
});

describe('health', () => {
  it('reports the store: 200 when it answers, 503 when it does not', async () => {
    const good = await buildWebApp(createStandInService());
    app = good.app;
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
    const bad = await buildWebApp(createStandInService(), {}, async () => {
      throw new Error('database is locked');
    });
    app = bad.app;
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toBe('unhealthy: database is locked\n');
  });
});

describe('public pages', () => {
  const hostile = 'Breach <script>alert("x")</script> & "quotes" \u0001';
  function withArchive(service: StandIn) {
    service.archive = {
      newsletter: { id: 'daily', title: 'Daily & <Brief>', description: 'News "daily"' },
      editions: [
        {
          id: 'daily/2026-11-28T07:00',
          subject: hostile,
          highlights: [hostile, 'Lead <b>two</b>'],
          html: '<html><body><p>First & <b>bold</b></p></body></html>',
          slot: '2026-11-28T07:00:00+01:00',
          sentAt: '2026-11-28T06:01:02.345Z',
          path: '/e/daily/2026-11-28T07:00',
        },
        {
          id: 'daily/2026-11-27T07:00',
          subject: 'Older',
          highlights: [],
          html: '<p>older</p>',
          slot: '2026-11-27T07:00:00+01:00',
          sentAt: null,
          path: '/e/daily/2026-11-27T07:00',
        },
      ],
      updatedAt: '2026-11-28T06:01:02.345Z',
    };
    service.editions.set('daily/2026-11-28T07:00', {
      id: 'daily/2026-11-28T07:00',
      newsletter: { id: 'daily', title: 'Daily Brief' },
      subject: 'x',
      slot: '2026-11-28T07:00:00+01:00',
      sentAt: null,
      html: '<!doctype html><html><body><p style="color:red">edition</p></body></html>',
      text: 'edition',
      highlights: ['edition'],
      archivePublic: true,
    });
    return service;
  }

  it('serves an edition by its id with a slash, both plain and percent-encoded', async () => {
    await start(withArchive(createStandInService()));
    for (const url of ['/e/daily/2026-11-28T07:00', '/e/daily/2026-11-28T07%3A00', '/e/daily%2F2026-11-28T07%3A00']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('edition');
      expect(response.headers['content-security-policy']).not.toContain('script');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await app.inject({ method: 'GET', url: '/e/daily/2026-11-29T07:00' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/e/daily/not-a-slot' })).statusCode).toBe(404);
  });

  it('lists the archive newest first with every field escaped', async () => {
    await start(withArchive(createStandInService()));
    const response = await app.inject({ method: 'GET', url: '/archive/daily' });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).toContain('Daily &amp; &lt;Brief&gt;');
    expect(response.body.indexOf('/e/daily/2026-11-28T07:00')).toBeLessThan(
      response.body.indexOf('/e/daily/2026-11-27T07:00'),
    );
    expect(response.body).toContain('href="/archive/daily/feed.atom"');
    expect(response.body).toContain('href="/s/daily"');
    expect((await app.inject({ method: 'GET', url: '/archive/closed' })).statusCode).toBe(404);
  });

  it('publishes a valid Atom 1.0 feed with escaped text, permanent ids and updated times', async () => {
    await start(withArchive(createStandInService()));
    const response = await app.inject({ method: 'GET', url: '/archive/daily/feed.atom' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(response.body)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false }).parse(response.body).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe('https://news.example.org/archive/daily');
    expect(feed.title['#text']).toBe('Daily & <Brief>');
    expect(response.body).toContain('<title type="text">Daily &amp; &lt;Brief&gt;</title>');
    expect(feed.updated).toBe('2026-11-28T06:01:02Z');
    expect(feed.entry).toHaveLength(2);
    expect(feed.entry[0].id).toBe('https://news.example.org/e/daily/2026-11-28T07:00');
    expect(feed.entry[0].updated).toBe('2026-11-28T06:01:02Z');
    expect(feed.entry[1].updated).toBe('2026-11-27T06:00:00Z');
    expect(response.body).toContain(
      'Breach &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; </title>',
    );
    expect(response.body).not.toContain('\u0001');
  });
});
