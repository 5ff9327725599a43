import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSubscriberService } from '../../src/app/subscribers/subscriber-service.ts';
import { createMailTransport } from '../../src/delivery/smtp-transport.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { simpleParser } from 'mailparser';
import {
  createSubscriberWorkspace,
  linksOf,
  messagesTo,
  type SubscriberWorkspace,
} from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
const DAY = 86_400_000;

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-signup-');
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string; where?: string }) => `${error.code}${error.where ? ` ${error.where}` : ''}`,
  );

async function setUp(behaviour?: Parameters<typeof startSmtpSink>[0]) {
  const sink = await startSmtpSink(behaviour);
  sinks.push(sink);
  const ws = createSubscriberWorkspace(tempDir(), [{ email: 'bo@example.org', name: 'Bo', newsletters: ['daily'] }]);
  workspaces.push(ws);
  expect((await ws.cli(['subscribers', 'sync'], sink.url, T1)).code).toBe(0);
  return { sink, ws };
}

const confirmLink = (text: string) =>
  /https:\/\/news\.example\.org\/s\/daily\/confirm\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;

describe('signup with double opt-in', () => {
  it('mails a localized confirmation, subscribes on confirmation, and the next send includes the new reader', async () => {
    const { sink, ws } = await setUp();
    const { service, clock } = ws.service(sink.url, later(T1, 10));
    const receipt = await service.requestSignup(
      'daily',
      { email: 'Eve@Example.org', name: 'Eve\r\nBcc: evil', categories: ['technology'], locale: 'de' },
      { ip: '198.51.100.7' },
    );
    expect(receipt).toEqual({ newsletter: { id: 'daily', title: 'Test Daily' }, maskedEmail: 'e***@example.org' });
    await service.drain();
    expect(sink.messages).toHaveLength(1);
    const raw = sink.messages[0]!.raw.toString('latin1');
    const mail = await simpleParser(sink.messages[0]!.raw);
    expect(sink.messages[0]!.to).toEqual(['eve@example.org']);
    expect(mail.subject).toBe('Bitte bestätigen Sie Ihr Abonnement von Test Daily');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).not.toContain('List-Unsubscribe');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('eve@example.org');
    const token = confirmLink(mail.text ?? '')!;
    expect(token).not.toBeNull();
    expect(mail.html).toContain(`href="https://news.example.org/s/daily/confirm/${token}"`);

    // Not a subscriber before the confirmation.
    expect((await service.exportByEmail('eve@example.org')).subscriber).toBeNull();
    const [payload, signature] = token.split('.') as [string, string];
    expect(await codeOf(service.confirmSignup(`${payload}.${signature.slice(1)}`))).toBe('TOKEN_INVALID');
    expect(await codeOf(service.unsubscribe(token))).toBe('TOKEN_INVALID');
    clock.advance(6 * DAY);
    expect(await service.confirmSignup(token)).toEqual({
      newsletter: { id: 'daily', title: 'Test Daily' },
      maskedEmail: 'e***@example.org',
      changed: true,
      locale: 'de',
    });
    expect(await service.confirmSignup(token)).toMatchObject({ changed: false });
    const exported = await service.exportByEmail('eve@example.org');
    expect(exported.subscriber).toMatchObject({ name: 'Eve Bcc: evil', locale: 'de', status: 'active' });
    expect(exported.subscriptions).toMatchObject([
      { newsletterId: 'daily', status: 'active', origin: 'subscriber', categories: ['technology'] },
    ]);

    // A sync (the files do not list Eve) keeps her; the next edition reaches her with her categories.
    await ws.cli(['subscribers', 'sync'], sink.url, later(T1, 20));
    ws.addArticles(T2);
    const before = sink.messages.length;
    expect((await ws.cli(['run', '--at', T2], sink.url, later(T2))).code).toBe(0);
    const sent = sink.messages.slice(before);
    expect(sent.map((m) => m.to[0]).sort()).toEqual(['bo@example.org', 'eve@example.org']);
    const eve = await linksOf(messagesTo(sent, 'eve@example.org')[0]!);
    expect(eve.parsed.text).toContain('Compiler release 1');
    expect(eve.parsed.text).not.toContain('Telescope survey 2');
    expect(eve.parsed.text).toContain('Abmelden');
  });

  it('answers the same for a subscribed, a suppressed and a new address; only the mail differs (or there is none)', async () => {
    const { sink, ws } = await setUp();
    const { service } = ws.service(sink.url, later(T1, 10));
    await service.addSuppression('gone@example.org', 'test');
    const receipts = [];
    for (const email of ['bo@example.org', 'gone@example.org', 'new@example.org']) {
      receipts.push(await service.requestSignup('daily', { email }, { ip: '198.51.100.8' }));
    }
    expect(receipts.map((r) => Object.keys(r).sort())).toEqual([
      ['maskedEmail', 'newsletter'],
      ['maskedEmail', 'newsletter'],
      ['maskedEmail', 'newsletter'],
    ]);
    await service.drain();
    expect(sink.messages.map((m) => m.to[0])).toEqual(['bo@example.org', 'new@example.org']);
    const already = await simpleParser(sink.messages[0]!.raw);
    expect(already.subject).toBe('You are already subscribed to Test Daily');
    expect(confirmLink(already.text ?? '')).toBeNull();
    expect(confirmLink((await simpleParser(sink.messages[1]!.raw)).text ?? '')).not.toBeNull();
    // Bo stays as he was (file origin); no second subscriber row.
    expect((await service.exportByEmail('bo@example.org')).subscriptions).toMatchObject([
      { newsletterId: 'daily', origin: 'file' },
    ]);
  });

  it('refuses closed newsletters and bad fields, expires links after 7 days, and limits mails per address', async () => {
    const { sink, ws } = await setUp();
    const { service, clock } = ws.service(sink.url, later(T1, 10));
    expect(await codeOf(service.requestSignup('weekly', { email: 'x@example.org' }, { ip: '1' }))).toBe('NOT_FOUND');
    expect(await codeOf(service.requestSignup('monthly', { email: 'x@example.org' }, { ip: '1' }))).toBe('NOT_FOUND');
    expect(await codeOf(service.requestSignup('daily', { email: 'not an address' }, { ip: '1' }))).toBe(
      'INPUT_INVALID email',
    );
    expect(
      await codeOf(service.requestSignup('daily', { email: 'x@example.org', categories: ['cooking'] }, { ip: '1' })),
    ).toBe('INPUT_INVALID categories');
    expect(await codeOf(service.requestSignup('daily', { email: 'x@example.org', locale: 'xx' }, { ip: '1' }))).toBe(
      'INPUT_INVALID locale',
    );
    expect(
      await codeOf(service.requestSignup('daily', { email: 'x@example.org', name: 'n'.repeat(101) }, { ip: '1' })),
    ).toBe('INPUT_INVALID name');
    // A name goes into the To: of every digest: plain text, short, never a link.
    for (const name of [
      'n'.repeat(65),
      'Click http://evil.example/win',
      'Win at evil.example',
      'www.evil.example',
      'me@evil.example',
      'Ann <b>',
      'Ann \u202Enimda',
    ]) {
      expect(await codeOf(service.requestSignup('daily', { email: 'x@example.org', name }, { ip: '1' })), name).toBe(
        'INPUT_INVALID name',
      );
    }

    for (let i = 0; i < 4; i++)
      await service.requestSignup('daily', { email: 'lim@example.org' }, { ip: `203.0.113.${i}` });
    await service.drain();
    expect(messagesTo(sink.messages, 'lim@example.org')).toHaveLength(3);
    const token = confirmLink((await simpleParser(sink.messages[0]!.raw)).text ?? '')!;
    clock.advance(7 * DAY + 60_000);
    expect(await codeOf(service.confirmSignup(token))).toBe('TOKEN_EXPIRED');
    expect((await service.exportByEmail('lim@example.org')).subscriber).toBeNull();
    // A day later the address may ask again; expired requests (which hold the address) are purged.
    await service.requestSignup('daily', { email: 'lim@example.org' }, { ip: '203.0.113.9' });
    expect((await service.exportByEmail('lim@example.org')).pendingSignups).toHaveLength(1);
    for (const name of ['J. R. R. Tolkien', 'Zoë Ångström-Łukasz', 'Иван Петров', 'n'.repeat(64)]) {
      expect(await codeOf(service.requestSignup('daily', { email: 'ok@example.org', name }, { ip: '2' })), name).toBe(
        'resolved',
      );
    }
  });

  it('answers at once when the mail server refuses the connection or drops it mid-DATA; the failure never reaches the person asking', async () => {
    for (const behaviour of ['refused', 'drop'] as const) {
      const { sink, ws } = await setUp(behaviour === 'drop' ? { onData: () => 'drop' } : undefined);
      const url = behaviour === 'refused' ? 'smtp://127.0.0.1:1' : sink.url;
      const { service } = ws.service(url, later(T1, 10));
      const receipt = await service.requestSignup('daily', { email: 'eve@example.org' }, { ip: '1' });
      expect(receipt.maskedEmail).toBe('e***@example.org');
      await expect(service.drain()).resolves.toBeUndefined();
      expect(sink.messages).toHaveLength(0);
      // The request stays; a later request can send again.
      expect((await service.exportByEmail('eve@example.org')).pendingSignups).toHaveLength(1);
    }
  });

  it('answers before a slow mail server replies, and gives up on one that does not answer in time so later mails still go', async () => {
    const { sink, ws } = await setUp();
    const slow = await startSmtpSink({ delayMs: 1500 });
    sinks.push(slow);
    const { service: patient } = ws.service(slow.url, later(T1, 10));
    await patient.requestSignup('daily', { email: 'slow@example.org' }, { ip: '1' });
    expect(slow.messages).toHaveLength(0); // answered; the mail is still on its way
    await patient.drain();
    expect(slow.messages.map((m) => m.to[0])).toEqual(['slow@example.org']);

    // A server that accepts the connection and never says a word: given up on after the
    // limit, and the next mail (once the server is back) is not held up behind it.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      let url = `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const { ctx } = ws.service(url, later(T1, 10));
      const transportConfig = ctx.config.transport as Extract<typeof ctx.config.transport, { type: 'smtp' }>;
      const impatient = createSubscriberService({
        store: ctx.store,
        clock: ctx.clock,
        logger: ctx.logger,
        config: ctx.config,
        secret: ctx.config.web.secret!,
        openTransport: () => createMailTransport({ ...transportConfig, url }, ctx.baseDir, { clock: ctx.clock }),
        renderEditionForWeb: async () => null,
        locales: ['en'],
        signupMailTimeoutMs: 300,
      });
      await impatient.requestSignup('daily', { email: 'first@example.org' }, { ip: '2' });
      // The first mail is on its way to the silent server before the server "comes back".
      await expect.poll(() => sockets.size, { timeout: 10_000 }).toBe(1);
      url = sink.url;
      await impatient.requestSignup('daily', { email: 'second@example.org' }, { ip: '2' });
      await impatient.drain();
      expect(sink.messages.map((m) => m.to[0])).toEqual(['second@example.org']);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
