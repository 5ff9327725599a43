import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createWelcomeMailFromContext } from '../../src/app/subscribers/welcome-from-context.ts';
import { welcomeEditionId } from '../../src/app/subscribers/welcome-mail.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSubscriberWorkspace, messagesTo, type SubscriberWorkspace } from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-welcome-');

/** Bo on the files; `daily` has a welcome template in en and de (under templates.dir); one edition already sent. */
async function setUp() {
  const sink = await startSmtpSink();
  sinks.push(sink);
  const ws = createSubscriberWorkspace(tempDir(), [{ email: 'bo@example.org', name: 'Bo', newsletters: ['daily'] }]);
  workspaces.push(ws);
  appendFileSync(ws.configFile, 'templates:\n  dir: my-templates\n');
  const folder = path.join(ws.dir, 'my-templates', 'welcome', 'daily');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'en.txt.hbs'),
    'Subject: Welcome to {{newsletter.title}}, {{reader.firstName}}\n\nHello {{reader.firstName}}!\n\n' +
      '{{#if latestEdition}}Read the latest edition: {{latestEdition.url}}{{/if}}\n\nLeave any time: {{unsubscribeUrl}}\n',
  );
  writeFileSync(
    path.join(folder, 'de.txt.hbs'),
    'Subject: Willkommen bei {{newsletter.title}}\n\nHallo {{reader.firstName}}! Die neueste Ausgabe: {{latestEdition.url}}\n',
  );
  expect((await ws.cli(['subscribers', 'sync'], sink.url, T1)).code).toBe(0);
  ws.addArticles(T1);
  expect((await ws.cli(['run', '--at', T1], sink.url, later(T1))).code).toBe(0);
  expect(sink.messages.map((m) => m.to[0])).toEqual(['bo@example.org']);
  return { sink, ws };
}

const confirmToken = (text: string) =>
  /https:\/\/news\.example\.org\/s\/daily\/confirm\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(text)![1]!;

describe('welcome mail', () => {
  it('goes out once when a reader confirms, even when two processes confirm the same link, with the latest edition', async () => {
    const { sink, ws } = await setUp();
    const one = ws.service(sink.url, later(T1, 10));
    const two = ws.service(sink.url, later(T1, 10));
    await one.service.requestSignup(
      'daily',
      { email: 'eve@example.org', name: 'Eve Example', locale: 'de' },
      { ip: '1' },
    );
    await one.service.drain();
    const confirmation = await simpleParser(messagesTo(sink.messages, 'eve@example.org')[0]!.raw);
    const token = confirmToken(confirmation.text ?? '');

    const results = await Promise.all([one.service.confirmSignup(token), two.service.confirmSignup(token)]);
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(await one.service.confirmSignup(token)).toMatchObject({ changed: false });
    await Promise.all([one.service.drain(), two.service.drain()]);
    // A process starting later finds nothing left to send.
    const three = ws.service(sink.url, later(T1, 20));
    three.service.sendQueuedMail();
    await three.service.drain();

    const toEve = messagesTo(sink.messages, 'eve@example.org');
    expect(toEve).toHaveLength(2);
    const welcome = await simpleParser(toEve[1]!.raw);
    expect(welcome.subject).toBe('Willkommen bei Test Daily');
    expect(welcome.text).toContain('Hallo Eve!');
    expect(welcome.text).toContain('https://news.example.org/e/daily/2026-03-02T07%3A00');
    expect(welcome.html).toContain('<a href="https://news.example.org/e/daily/2026-03-02T07%3A00');
    expect(toEve[1]!.raw.toString('latin1')).toMatch(/^List-Unsubscribe: <https:\/\/news\.example\.org\/u\/[^>]+>/m);
    const rows = await one.ctx.store.ledger.list(welcomeEditionId('daily'));
    expect(rows.map((r) => [r.status, r.email])).toEqual([['accepted', 'eve@example.org']]);

    // The digest path is unaffected by the welcome rows: the next run sends as before.
    ws.addArticles('2026-03-03T07:00:00Z');
    expect((await ws.cli(['run', '--at', '2026-03-03T07:00:00Z'], sink.url, later('2026-03-03T07:00:00Z'))).code).toBe(
      0,
    );
    expect((await ws.cli(['status'], sink.url, later('2026-03-03T07:00:00Z'))).code).toBe(0);
  }, 180_000);

  it('two senders of the same queue send each welcome once; an import with --welcome queues them, a second import none', async () => {
    const { sink, ws } = await setUp();
    const list = path.join(ws.dir, 'imported.csv');
    writeFileSync(list, 'email,name,newsletters\nann@example.org,Ann Import,daily\ncy@example.org,Cy,weekly\n');
    const before = sink.messages.length;
    const imported = await ws.cli(
      ['subscribers', 'import', list, '--from', 'csv', '--welcome'],
      sink.url,
      later(T1, 5),
    );
    expect(imported.err).toBe('');
    expect(imported.out).toContain('added 2');
    // weekly has no welcome template: only Ann gets one.
    expect(imported.out).toContain('welcome mails: accepted 1, failed 0, skipped 0');
    const sent = sink.messages.slice(before);
    expect(sent.map((m) => m.to[0])).toEqual(['ann@example.org']);
    const mail = await simpleParser(sent[0]!.raw);
    expect(mail.subject).toBe('Welcome to Test Daily, Ann');
    expect(mail.text).toContain('Read the latest edition: https://news.example.org/e/daily/');

    const again = await ws.cli(['subscribers', 'import', list, '--from', 'csv', '--welcome'], sink.url, later(T1, 6));
    expect(again.out).toContain('added 0, subscribed 0, unchanged 2');
    expect(sink.messages.length).toBe(before + 1);

    // Two processes with the same pending row: one claims it, the other skips it.
    const a = ws.service(sink.url, later(T1, 7));
    const b = ws.service(sink.url, later(T1, 7));
    const dee = await a.ctx.store.subscribers.ensureSubscriber(
      { email: 'dee@example.org', name: 'Dee', locale: null },
      new Date(T1),
    );
    await a.ctx.store.subscribers.subscribe(dee, 'daily', new Date(T1));
    const first = createWelcomeMailFromContext(a.ctx);
    const second = createWelcomeMailFromContext(b.ctx);
    expect(await first.queue(dee, 'daily')).toBe(true);
    expect(await second.queue(dee, 'daily')).toBe(true);
    const counts = await Promise.all([first.sendQueued(['daily']), second.sendQueued(['daily'])]);
    expect(counts.reduce((n, c) => n + c.accepted, 0)).toBe(1);
    expect(messagesTo(sink.messages, 'dee@example.org')).toHaveLength(1);
    expect(await first.queue(dee, 'weekly')).toBe(false);
  }, 180_000);
});
