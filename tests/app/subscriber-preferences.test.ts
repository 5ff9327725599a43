import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreferencesInput } from '../../src/app/subscribers/subscriber-service.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import {
  createSubscriberWorkspace,
  linksOf,
  messagesTo,
  type Person,
  type SubscriberWorkspace,
} from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const T3 = '2026-03-04T07:00:00Z';
const T4 = '2026-03-05T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-prefs-');
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string; where?: string }) => `${error.code}${error.where ? ` ${error.where}` : ''}`,
  );

async function setUp(people: Person[]) {
  const sink = await startSmtpSink();
  sinks.push(sink);
  const ws = createSubscriberWorkspace(tempDir(), people);
  workspaces.push(ws);
  expect((await ws.cli(['subscribers', 'sync'], sink.url, T1)).code).toBe(0);
  return { sink, ws };
}

async function send(ws: SubscriberWorkspace, sink: SmtpSink, slot: string) {
  ws.addArticles(slot);
  const before = sink.messages.length;
  const run = await ws.cli(['run', '--at', slot], sink.url, later(slot));
  expect(run.code, run.out + run.err).toBe(0);
  return sink.messages.slice(before);
}

describe('preferences', () => {
  it('shows and saves newsletters, categories per newsletter, locale and time zone; they win over the files and the next send honours them', async () => {
    const { sink, ws } = await setUp([
      { email: 'ann@example.org', name: 'Ann', newsletters: ['daily', 'weekly'], locale: 'en' },
      { email: 'bo@example.org', name: 'Bo', newsletters: ['daily'] },
    ]);
    const first = await send(ws, sink, T1);
    // Weekly's one science story reached Ann in daily already (never seen twice): one message.
    expect(messagesTo(first, 'ann@example.org')).toHaveLength(1);
    const ann = await linksOf(messagesTo(first, 'ann@example.org')[0]!);
    const bo = await linksOf(messagesTo(first, 'bo@example.org')[0]!);
    const { service } = ws.service(sink.url, later(T1, 10));

    const view = await service.getPreferences(ann.preferences);
    expect(view).toMatchObject({
      maskedEmail: 'a***@example.org',
      newsletterId: 'daily',
      locale: 'en',
      timezone: null,
      pausedUntil: null,
      locales: ['de', 'en', 'fr', 'ru'],
    });
    expect(view.newsletters).toEqual([
      {
        id: 'daily',
        title: 'Test Daily',
        subscribed: true,
        allCategories: true,
        categories: [
          { slug: 'technology', title: 'Technology', chosen: true },
          { slug: 'science', title: 'Science', chosen: true },
        ],
        // Neither newsletter offers a choice of cadence.
        cadence: null,
      },
      {
        id: 'weekly',
        title: 'Test Weekly',
        subscribed: true,
        allCategories: true,
        categories: [{ slug: 'science', title: 'Science', chosen: true }],
        cadence: null,
      },
    ]);
    // Bo may choose daily (his) but not weekly (closed, never his).
    expect((await service.getPreferences(bo.preferences)).newsletters.map((n) => n.id)).toEqual(['daily']);
    expect(await codeOf(service.getPreferences(ann.unsubscribe))).toBe('TOKEN_INVALID');

    const valid: PreferencesInput = {
      newsletters: [
        { id: 'daily', subscribed: true, categories: ['science'] },
        { id: 'weekly', subscribed: false, categories: null },
      ],
      locale: 'de',
      timezone: 'Europe/Berlin',
      pausedUntil: null,
    };
    const refused: [PreferencesInput, string][] = [
      [{ ...valid, timezone: 'Mars/Olympus_Mons' }, 'INPUT_INVALID timezone'],
      [{ ...valid, locale: 'ja' }, 'INPUT_INVALID locale'],
      [{ ...valid, pausedUntil: '2026-02-30' }, 'INPUT_INVALID pausedUntil'],
      [{ ...valid, pausedUntil: '2031-01-01' }, 'INPUT_INVALID pausedUntil'],
      [
        { ...valid, newsletters: [{ id: 'daily', subscribed: true, categories: ['sports'] }] },
        'INPUT_INVALID newsletters.0.categories',
      ],
      [
        { ...valid, newsletters: [{ id: 'weekly', subscribed: true, categories: ['technology'] }] },
        'INPUT_INVALID newsletters.0.categories',
      ],
      [
        { ...valid, newsletters: [{ id: 'daily', subscribed: true, categories: [] }] },
        'INPUT_INVALID newsletters.0.categories',
      ],
      [
        { ...valid, newsletters: [{ id: 'monthly', subscribed: true, categories: null }] },
        'INPUT_INVALID newsletters.0.id',
      ],
      [{ ...valid, extra: 1 } as PreferencesInput, 'INPUT_INVALID preferences'],
    ];
    for (const [input, code] of refused)
      expect(await codeOf(service.savePreferences(ann.preferences, input)), JSON.stringify(input)).toBe(code);
    expect(
      await codeOf(
        service.savePreferences(bo.preferences, {
          ...valid,
          newsletters: [{ id: 'weekly', subscribed: true, categories: null }],
        }),
      ),
    ).toBe('INPUT_INVALID newsletters.0.id');
    expect(await service.getPreferences(ann.preferences)).toEqual(view); // nothing changed by the refusals

    const saved = await service.savePreferences(ann.preferences, valid);
    expect(saved).toMatchObject({ locale: 'de', timezone: 'Europe/Berlin' });
    expect(
      saved.newsletters.map((n) => [
        n.id,
        n.subscribed,
        n.allCategories,
        n.categories.filter((c) => c.chosen).map((c) => c.slug),
      ]),
    ).toEqual([
      ['daily', true, false, ['science']],
      ['weekly', false, true, ['science']],
    ]);

    // The files still say en, both newsletters, all categories: the person's choice stays.
    const synced = await ws.cli(['subscribers', 'sync'], sink.url, later(T1, 20));
    expect(synced.out).toContain('added 0, updated 0, unchanged 2');
    expect(await service.getPreferences(ann.preferences)).toEqual(saved);

    const second = await send(ws, sink, T2);
    const annMail = messagesTo(second, 'ann@example.org');
    expect(annMail).toHaveLength(1); // daily only
    const weeklyRows = await ws.cli(['deliveries', 'weekly/2026-03-03T07:00'], sink.url, later(T2, 5));
    expect(weeklyRows.out).not.toContain('ann@example.org'); // not in weekly's audience any more
    const parsed = (await linksOf(annMail[0]!)).parsed;
    expect(parsed.subject).toContain('Test Daily');
    expect(parsed.text).toContain('Telescope survey 4 maps distant galaxies');
    expect(parsed.text).not.toContain('Compiler release 3');
    expect(parsed.html).toContain('lang="de"');
    expect(parsed.text).toContain('Abmelden');
    expect((await linksOf(messagesTo(second, 'bo@example.org')[0]!)).parsed.text).toContain('Compiler release 3');
  });

  it('a pause keeps mail away until its day; resubscribing on the page brings a newsletter back', async () => {
    const { sink, ws } = await setUp([
      { email: 'bo@example.org', name: 'Bo', newsletters: ['daily'] },
      { email: 'cy@example.org', name: 'Cy', newsletters: ['daily'] },
    ]);
    const first = await send(ws, sink, T1);
    const bo = await linksOf(messagesTo(first, 'bo@example.org')[0]!);
    const { service } = ws.service(sink.url, later(T1, 5));
    await service.savePreferences(bo.preferences, {
      newsletters: [],
      locale: null,
      timezone: null,
      pausedUntil: '2026-03-05',
    });
    expect((await service.getPreferences(bo.preferences)).pausedUntil).toBe('2026-03-05');
    expect((await send(ws, sink, T2)).map((m) => m.to[0])).toEqual(['cy@example.org']);
    expect((await send(ws, sink, T3)).map((m) => m.to[0])).toEqual(['cy@example.org']);
    expect((await send(ws, sink, T4)).map((m) => m.to[0]).sort()).toEqual(['bo@example.org', 'cy@example.org']);

    await service.savePreferences(bo.preferences, {
      newsletters: [{ id: 'daily', subscribed: false, categories: null }],
      locale: null,
      timezone: null,
      pausedUntil: null,
    });
    expect((await service.describeToken(bo.unsubscribe, 'unsubscribe')).state).toBe('unsubscribed');
    expect(await service.resubscribe(bo.preferences)).toMatchObject({ changed: true, state: 'active' });
  });
});

describe('erasure and suppressions', () => {
  it('erases a person: counts stay, the ledger keeps a hashed id, a sync does not re-add, an operator can lift it on purpose', async () => {
    const { sink, ws } = await setUp([
      { email: 'ann@example.org', name: 'Ann', newsletters: ['daily'] },
      { email: 'bo@example.org', name: 'Bo', newsletters: ['daily'] },
    ]);
    const first = await send(ws, sink, T1);
    const ann = await linksOf(messagesTo(first, 'ann@example.org')[0]!);
    const { service } = ws.service(sink.url, later(T1, 5));
    const annId = (await service.exportByEmail('ann@example.org')).subscriber!.id;
    expect((await service.exportByEmail('ANN@Example.org')).deliveries).toMatchObject([
      { editionId: 'daily/2026-03-02T07:00', status: 'accepted' },
    ]);

    expect(await service.erase(ann.preferences)).toEqual({ maskedEmail: 'a***@example.org' });
    expect(await service.erase(ann.preferences)).toEqual({ maskedEmail: '' });
    expect(await service.exportByEmail('ann@example.org')).toMatchObject({
      subscriber: null,
      subscriptions: [],
      deliveries: [],
      suppressed: true,
    });
    expect(await codeOf(service.getPreferences(ann.preferences))).toBe('NOT_FOUND');
    expect(await service.unsubscribe(ann.unsubscribe)).toMatchObject({
      changed: false,
      state: 'none',
      maskedEmail: '',
    });

    const store = openSqliteStore(path.join(ws.dir, 'data', 'tidings.db'));
    try {
      const rows = await store.ledger.list('daily/2026-03-02T07:00');
      expect(rows.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      const erasedRow = rows.find((r) => r.subscriberId < 0)!;
      expect(erasedRow).toMatchObject({ email: null, messageId: null, response: null });
      const tombstone = await store.subscribers.getById(annId);
      expect(tombstone).toMatchObject({ status: 'erased', name: null, locale: null, subscriptions: [] });
      expect(tombstone!.email).not.toContain('ann');
      expect(await store.ledger.receivedArticleIds(annId, ['x'])).toEqual(new Set());
    } finally {
      store.close();
    }

    const synced = await ws.cli(['subscribers', 'sync'], sink.url, later(T1, 10));
    expect(synced.out).toContain('added 0, updated 0, unchanged 1, removed 0, skipped 0, suppressed 1');
    expect((await ws.cli(['subscribers', 'list'], sink.url, later(T1, 10))).out).not.toContain('ann@example.org');
    expect((await send(ws, sink, T2)).map((m) => m.to[0])).toEqual(['bo@example.org']);
    const status = JSON.parse((await ws.cli(['status', '--json'], sink.url, later(T2, 5))).out).editions as Record<
      string,
      unknown
    >[];
    expect(status.find((e) => e.edition === 'daily/2026-03-02T07:00')).toMatchObject({ accepted: 2 });

    const listed = await ws.cli(['suppressions', 'list'], sink.url, later(T2, 6));
    expect(listed.out).toMatch(/^[0-9a-f]{64} {2}\S+ {2}erased by the subscriber$/m);
    expect(listed.out).not.toContain('ann');
    expect((await ws.cli(['suppressions', 'remove', 'Ann@example.org'], sink.url, later(T2, 7))).out).toContain(
      'no longer suppressed',
    );
    expect((await ws.cli(['subscribers', 'sync'], sink.url, later(T2, 8))).out).toContain('added 1');
  });

  it('operator commands: unsubscribe, export, forget and suppressions', async () => {
    const { sink, ws } = await setUp([{ email: 'bo@example.org', name: 'Bo', newsletters: ['daily', 'weekly'] }]);
    await send(ws, sink, T1);
    const at = later(T1, 5);
    expect(
      (await ws.cli(['subscribers', 'unsubscribe', 'bo@example.org', '--newsletter', 'weekly'], sink.url, at)).out,
    ).toContain('bo@example.org: unsubscribed from weekly');
    expect(
      (await ws.cli(['subscribers', 'unsubscribe', 'bo@example.org', '--newsletter', 'weekly'], sink.url, at)).out,
    ).toContain('no active subscription to weekly');
    const unknown = await ws.cli(['subscribers', 'unsubscribe', 'nobody@example.org'], sink.url, at);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('[NOT_FOUND] no subscriber nobody@example.org');
    expect((await ws.cli(['subscribers', 'unsubscribe', 'not-an-address'], sink.url, at)).code).toBe(2);

    const exported = JSON.parse((await ws.cli(['subscribers', 'export', 'bo@example.org'], sink.url, at)).out);
    expect(exported.subscriber).toMatchObject({ email: 'bo@example.org', name: 'Bo', status: 'active' });
    expect(
      exported.subscriptions.map((s: { newsletterId: string; status: string }) => `${s.newsletterId}:${s.status}`),
    ).toEqual(['daily:active', 'weekly:unsubscribed']);
    expect(exported.deliveries).toHaveLength(2);
    expect(exported.receivedArticles.length).toBeGreaterThan(0);
    expect(exported.unsubscribeEvents).toMatchObject([
      { newsletterId: 'weekly', channel: 'operator', editionId: null },
    ]);
    expect(exported.suppressed).toBe(false);

    expect((await ws.cli(['subscribers', 'forget', 'zed@example.org'], sink.url, at)).out).toContain(
      'not in the store; suppressed',
    );
    expect(
      (await ws.cli(['suppressions', 'add', 'spam@example.net', '--reason', 'complaint'], sink.url, at)).out,
    ).toContain('suppressed');
    expect((await ws.cli(['suppressions', 'add', 'spam@example.net'], sink.url, at)).out).toContain(
      'was already suppressed',
    );
    expect((await ws.cli(['suppressions', 'list'], sink.url, at)).out).toContain('2 suppressed addresses');
    expect((await ws.cli(['subscribers', 'forget', 'bo@example.org'], sink.url, at)).out).toContain(
      'bo@example.org: erased',
    );
    expect(JSON.parse((await ws.cli(['subscribers', 'export', 'bo@example.org'], sink.url, at)).out)).toMatchObject({
      subscriber: null,
      suppressed: true,
      unsubscribeEvents: [],
    });
  });
});
