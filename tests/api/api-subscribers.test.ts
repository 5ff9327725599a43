import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { startApiServer, type ApiServer } from './support/api-server.ts';

const servers: ApiServer[] = [];
const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const sink of sinks.splice(0)) await sink.close();
});

const WRITE = ['subscribers:read', 'subscribers:write'];

describe('subscribers through the API', () => {
  const tempDir = useTempDir('tidings-api-subscribers-');
  const start = async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const server = await startApiServer(tempDir(), { smtpUrl: sink.url });
    servers.push(server);
    return { sink, server, token: await server.token('crm', WRITE) };
  };

  it('adds an address with double opt-in: the confirmation mail goes out over SMTP, the link confirms it', async () => {
    const { sink, server, token } = await start();
    const response = await server.call(token, 'POST', '/api/v1/subscribers', {
      email: 'Ada.Reader@Example.org',
      newsletter: 'daily',
      categories: ['science'],
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ state: 'confirmation-sent' });
    // Not a subscriber until the reader confirms.
    const before = await server.call(token, 'GET', '/api/v1/subscribers?q=ada.reader');
    expect((await before.json()).items).toEqual([]);

    await server.service.drain();
    const mails = sink.messages.filter((m) => m.to.includes('ada.reader@example.org'));
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(mails[0]!.raw);
    const path = /http:\/\/127\.0\.0\.1:8080(\/s\/daily\/confirm\/[A-Za-z0-9_.-]+)/.exec(mail.text ?? '')?.[1];
    expect(path).toBeDefined();
    expect((await fetch(`${server.url}${path}`, { method: 'POST' })).status).toBe(200);

    const after = await (await server.call(token, 'GET', '/api/v1/subscribers?q=ADA.READER')).json();
    expect(after.items).toHaveLength(1);
    expect(after.items[0]).toMatchObject({
      email: 'ada.reader@example.org',
      subscriptions: [{ newsletterId: 'daily', status: 'active', categories: ['science'] }],
    });
  }, 120_000);

  it('adds a confirmed address at once (no mail), refuses a suppressed one', async () => {
    const { sink, server, token } = await start();
    const added = await server.call(token, 'POST', '/api/v1/subscribers', {
      email: 'bo@example.org',
      newsletter: 'daily',
      confirmed: true,
    });
    expect(added.status).toBe(201);
    expect((await added.json()).subscriber).toMatchObject({ email: 'bo@example.org', status: 'active' });
    await server.call(token, 'POST', '/api/v1/suppressions', { email: 'gone@example.org' });
    const refused = await server.call(token, 'POST', '/api/v1/subscribers', {
      email: 'gone@example.org',
      newsletter: 'daily',
      confirmed: true,
    });
    expect(refused.status).toBe(422);
    await server.service.drain();
    expect(sink.messages).toEqual([]);
  }, 120_000);

  it('pages and searches, updates categories, locale, zone and pause, unsubscribes, exports and erases', async () => {
    const { server, token } = await start();
    const all: number[] = [];
    let after = 0;
    for (;;) {
      const page = await (await server.call(token, 'GET', `/api/v1/subscribers?limit=2&after=${after}`)).json();
      all.push(...page.items.map((s: { id: number }) => s.id));
      if (page.next === null) break;
      after = page.next;
    }
    const listed = await server.ctx.store.subscribers.list();
    expect(all).toEqual(listed.map((s) => s.id));
    const someone = listed[0]!;

    const patched = await server.call(token, 'PATCH', `/api/v1/subscribers/${someone.id}`, {
      categories: ['science', 'technology'],
      locale: 'de',
      timezone: 'Europe/Berlin',
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      locale: 'de',
      timezone: 'Europe/Berlin',
      subscriptions: [{ newsletterId: 'daily', categories: ['science', 'technology'] }],
    });
    const foreignCategory = await server.call(token, 'PATCH', `/api/v1/subscribers/${someone.id}`, {
      categories: ['astrology'],
    });
    expect(foreignCategory.status).toBe(422);

    const paused = await server.call(token, 'POST', `/api/v1/subscribers/${someone.id}/pause`, { until: '2026-12-24' });
    expect((await paused.json()).pausedUntil).toBe('2026-12-24');
    const resumed = await server.call(token, 'POST', `/api/v1/subscribers/${someone.id}/pause`, { until: null });
    expect((await resumed.json()).pausedUntil).toBeNull();

    const ended = await server.call(token, 'POST', `/api/v1/subscribers/${someone.id}/unsubscribe`, {});
    expect(await ended.json()).toEqual({ unsubscribed: ['daily'] });
    const exported = await (await server.call(token, 'GET', `/api/v1/subscribers/${someone.id}/export`)).json();
    expect(exported.subscriber.email).toBe(someone.email);
    expect(exported.unsubscribeEvents).toEqual([expect.objectContaining({ channel: 'operator' })]);

    expect(await (await server.call(token, 'DELETE', `/api/v1/subscribers/${someone.id}`)).json()).toEqual({
      erased: true,
    });
    expect((await server.call(token, 'GET', `/api/v1/subscribers/${someone.id}`)).status).toBe(404);
    const suppressions = await (await server.call(token, 'GET', '/api/v1/suppressions')).json();
    expect(suppressions.items).toHaveLength(1);
  }, 120_000);
});
