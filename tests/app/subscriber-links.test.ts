import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signSubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import {
  createSubscriberWorkspace,
  linksOf,
  messagesTo,
  SECRET,
  type SubscriberWorkspace,
} from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-links-');

async function setUp(
  people = ['ann@example.org', 'bo@example.org', 'cy@example.org'],
  options: { maxConnections?: number; onData?: Parameters<typeof startSmtpSink>[0] } = {},
) {
  const sink = await startSmtpSink(options.onData);
  sinks.push(sink);
  const ws = createSubscriberWorkspace(
    tempDir(),
    people.map((email, i) => ({ email, name: `Reader ${i + 1}`, newsletters: ['daily'] })),
    options,
  );
  workspaces.push(ws);
  const synced = await ws.cli(['subscribers', 'sync'], sink.url, T1);
  expect(synced.code, synced.err).toBe(0);
  return { sink, ws };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? String(error),
  );

describe('the links in every email', () => {
  it('unsubscribes from the List-Unsubscribe token, idempotently, and counts it for the edition; tampered tokens change nothing', async () => {
    const { sink, ws } = await setUp();
    ws.addArticles(T1);
    const run = await ws.cli(['run', '--at', T1], sink.url, later(T1));
    expect(run.code, run.out + run.err).toBe(0);
    const links = await linksOf(messagesTo(sink.messages, 'bo@example.org')[0]!);
    expect(links.raw).toContain('List-Archive: <https://news.example.org/archive/daily>');
    const { service } = ws.service(sink.url, later(T1, 5));

    expect(await service.describeToken(links.unsubscribe, 'unsubscribe')).toMatchObject({
      purpose: 'unsubscribe',
      newsletter: { id: 'daily', title: 'Test Daily' },
      maskedEmail: 'b***@example.org',
      state: 'active',
      locale: 'en',
    });
    // Tampered, truncated, foreign, wrong purpose, garbage: all TOKEN_INVALID, nothing changes.
    const [payload, signature] = links.unsubscribe.split('.') as [string, string];
    const flipped = `${payload.slice(0, -1)}${payload.endsWith('A') ? 'B' : 'A'}.${signature}`;
    const foreign = signSubscriberToken(
      { subscriberId: 2, newsletterId: 'daily', purpose: 'unsubscribe' },
      'another-secret-0123456789abc',
    );
    for (const bad of [
      flipped,
      `${payload}.${signature.slice(0, -3)}`,
      payload,
      foreign,
      links.preferences,
      '',
      '../../etc/passwd',
      'a.b.c',
    ]) {
      expect(await codeOf(service.unsubscribe(bad)), bad).toBe('TOKEN_INVALID');
    }
    expect(await codeOf(service.describeToken(links.unsubscribe, 'preferences'))).toBe('TOKEN_INVALID');
    expect((await service.describeToken(links.unsubscribe, 'unsubscribe')).state).toBe('active');

    const first = await service.unsubscribe(links.unsubscribe, { channel: 'one-click' });
    expect(first).toMatchObject({ changed: true, state: 'unsubscribed', maskedEmail: 'b***@example.org' });
    expect(first.preferencesToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await service.unsubscribe(links.unsubscribe)).toMatchObject({ changed: false, state: 'unsubscribed' });

    // The status line of the edition the link came in counts it; a sync does not undo it.
    const statusRun = await ws.cli(['status', '--json'], sink.url, later(T1, 10));
    expect(statusRun.code, statusRun.err).toBe(0);
    const status = JSON.parse(statusRun.out).editions as Record<string, unknown>[];
    expect(status.find((e) => e.edition === 'daily/2026-03-02T07:00')).toMatchObject({ accepted: 3, unsubscribed: 1 });
    expect((await ws.cli(['status'], sink.url, later(T1, 10))).out).toMatch(
      /daily\/2026-03-02T07:00\s+sent\s+3\s+0\s+0\s+0\s+0\s+0\s+3\s+1/,
    );
    await ws.cli(['subscribers', 'sync'], sink.url, later(T1, 20));

    // Resubscribe from the page: idempotent too; the next edition goes to everyone again.
    expect(await service.resubscribe(links.unsubscribe)).toMatchObject({ changed: true, state: 'active' });
    expect(await service.resubscribe(links.unsubscribe)).toMatchObject({ changed: false, state: 'active' });
    await service.unsubscribe(links.unsubscribe);
    ws.addArticles(T2);
    const before = sink.messages.length;
    expect((await ws.cli(['run', '--at', T2], sink.url, later(T2))).code).toBe(0);
    expect(
      sink.messages
        .slice(before)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['ann@example.org', 'cy@example.org']);
  });

  it('a reader who unsubscribes while the edition is sending gets nothing if their row was not claimed yet', async () => {
    let store: ReturnType<typeof openSqliteStore> | null = null;
    let cyId = 0;
    const { sink, ws } = await setUp(['ann@example.org', 'bo@example.org', 'cy@example.org'], {
      maxConnections: 1,
      onData: {
        // While Ann's message is accepted, Cy unsubscribes through another connection (the web server's).
        onData: (message) => {
          if (message.to[0] === 'ann@example.org')
            void store!.subscribers.unsubscribe(cyId, 'daily', new Date(later(T1)), {
              channel: 'web',
              editionId: 'daily/2026-03-02T07:00',
            });
          return undefined;
        },
      },
    });
    store = openSqliteStore(path.join(ws.dir, 'data', 'tidings.db'));
    try {
      cyId = (await store.subscribers.findByEmail('cy@example.org'))!.id;
      ws.addArticles(T1);
      const run = await ws.cli(['run', '--at', T1], sink.url, later(T1));
      expect(run.code, run.out + run.err).toBe(0);
      expect(run.out).toMatch(/2 accepted, 0 failed, 1 skipped/);
      expect(sink.messages.map((m) => m.to[0])).toEqual(['ann@example.org', 'bo@example.org']);
      const rows = await store.ledger.list('daily/2026-03-02T07:00', 'skipped');
      expect(rows).toMatchObject([{ subscriberId: cyId, reason: 'subscription unsubscribed before delivery' }]);
      // An erased or suppressed reader's pending row is not claimable either.
      await store.ledger.ensurePending('daily/2026-03-03T07:00', [1, 2]);
      await store.subscribers.addSuppression(
        (await import('../../src/subscribers/address-hash.ts')).addressHash('ann@example.org'),
        'test',
        new Date(T2),
      );
      expect(await store.ledger.claim('daily/2026-03-03T07:00', 1, new Date(T2))).toEqual({
        claimed: false,
        skipped: 'address suppressed before delivery',
      });
      expect(await store.ledger.claim('daily/2026-03-03T07:00', 2, new Date(T2))).toEqual({ claimed: true });
      expect(await store.ledger.claim('daily/2026-03-03T07:00', 1, new Date(T2))).toEqual({
        claimed: false,
        skipped: null,
      });
    } finally {
      store.close();
    }
  });

  it('processes mailto unsubscribes from a Maildir: signed tokens unsubscribe and move away, the rest are listed with the reason', async () => {
    const { sink, ws } = await setUp();
    ws.addArticles(T1);
    expect((await ws.cli(['run', '--at', T1], sink.url, later(T1))).code).toBe(0);
    const ann = await linksOf(messagesTo(sink.messages, 'ann@example.org')[0]!);
    const cy = await linksOf(messagesTo(sink.messages, 'cy@example.org')[0]!);
    expect(ann.mailtoSubject).toBe(`unsubscribe-${ann.unsubscribe}`);

    const maildir = path.join(ws.dir, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
    const mail = (from: string, subject: string) =>
      [
        `From: <${from}>`,
        'To: <unsubscribe@news.example.org>',
        `Subject: ${subject}`,
        'Date: Mon, 02 Mar 2026 08:00:00 +0000',
        'Message-ID: <m@x.test>',
        '',
        'unsubscribe',
        '',
      ].join('\r\n');
    writeFileSync(path.join(maildir, 'new', '1001.a.host'), mail('ann@example.org', ann.mailtoSubject!));
    writeFileSync(
      path.join(maildir, 'cur', '1002.b.host:2,S'),
      mail('cy@example.org', `Re: unsubscribe-${cy.unsubscribe}`),
    );
    writeFileSync(path.join(maildir, 'new', '1003.c.host'), mail('bo@example.org', 'unsubscribe 2'));
    writeFileSync(
      path.join(maildir, 'new', '1004.d.host'),
      mail('bo@example.org', `unsubscribe-${ann.unsubscribe.slice(0, -4)}abcd`),
    );
    writeFileSync(path.join(maildir, 'new', '1005.e.host'), mail('spam@example.net', 'Great offer'));

    const result = await ws.cli(['subscribers', 'unsubscribe-mail', maildir], sink.url, later(T1, 30));
    expect(result.code).toBe(1);
    expect(result.out).toContain('new/1001.a.host: unsubscribed from daily');
    expect(result.out).toContain('cur/1002.b.host:2,S: unsubscribed from daily');
    expect(result.out).toContain('2 processed (moved to .Processed/), 3 left in place');
    expect(result.err).toMatch(/1003\.c\.host: left in place: old unsigned request/);
    expect(result.err).toMatch(/1004\.d\.host: left in place: TOKEN_INVALID/);
    expect(result.err).toMatch(/1005\.e\.host: left in place: no unsubscribe token in the subject "Great offer"/);
    expect(readdirSync(path.join(maildir, '.Processed', 'cur')).sort()).toEqual(['1001.a.host:2,S', '1002.b.host:2,S']);
    expect(readdirSync(path.join(maildir, 'new')).sort()).toEqual(['1003.c.host', '1004.d.host', '1005.e.host']);
    expect(existsSync(path.join(maildir, 'cur', '1002.b.host:2,S'))).toBe(false);

    const listed = (await ws.cli(['subscribers', 'list'], sink.url, later(T1, 31))).out;
    expect(listed).toMatch(/ann@example\.org.*daily:unsubscribed/);
    expect(listed).toMatch(/bo@example\.org.*daily:active/);
    expect(listed).toMatch(/cy@example\.org.*daily:unsubscribed/);
    // Running again finds nothing new to process; the refused ones are listed again.
    const again = await ws.cli(['subscribers', 'unsubscribe-mail', maildir], sink.url, later(T1, 40));
    expect(again.out).toContain('0 processed (moved to .Processed/), 3 left in place');
  });

  it('an old unsubscribe link without an edition still works, and a link of a test copy (subscriber 0) leads to nobody', async () => {
    const { sink, ws } = await setUp(['ann@example.org']);
    const { service } = ws.service(sink.url, T1);
    const old = signSubscriberToken({ subscriberId: 1, newsletterId: 'daily', purpose: 'unsubscribe' }, SECRET);
    expect(await service.unsubscribe(old)).toMatchObject({ changed: true, state: 'unsubscribed' });
    const nobody = signSubscriberToken({ subscriberId: 0, newsletterId: 'daily', purpose: 'unsubscribe' }, SECRET);
    expect(await service.unsubscribe(nobody)).toMatchObject({
      changed: false,
      state: 'none',
      maskedEmail: '',
      preferencesToken: null,
    });
    const gone = signSubscriberToken({ subscriberId: 1, newsletterId: 'monthly', purpose: 'unsubscribe' }, SECRET);
    expect(await codeOf(service.unsubscribe(gone))).toBe('NOT_FOUND');
  });
});
