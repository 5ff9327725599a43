import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PG_TEST_URL, type TestDatabase, createTestDatabase } from '../helpers/postgres.ts';
import { appOperations } from '../../src/app/app-operations.ts';
import { runStatus } from '../../src/cli/commands/status.ts';
import { windowFor } from '../../src/editions/build-edition.ts';
import type { SchedulerWorkspace } from './support/scheduler-workspace.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import {
  type CadenceReader,
  type Received,
  changeCadence,
  createCadenceWorkspace,
  startStorySink,
  writeStories,
} from './support/cadence-month.ts';

const HOUR = 3_600_000;

/** What editors did to the daily drafts: pinned and excluded story numbers per daily edition. */
interface Curation {
  pinned: Map<string, number>;
  excluded: Map<string, number>;
}

const storyOf = (url: string | null) => Number(/story-(\d+)/.exec(url ?? '')![1]);

/** Pins the first and excludes the last article of each new daily draft (an editor curating before the send). */
async function curateDailies(ws: SchedulerWorkspace, curation: Curation): Promise<void> {
  const drafts = await ws.ctx.store.editions.listEditions('daily', { statuses: ['draft'] });
  for (const draft of drafts) {
    if (curation.pinned.has(draft.id) || draft.articles.length < 3) continue;
    const ordered = [...draft.articles].sort((a, b) => a.position - b.position);
    await ws.ctx.store.editions.updatePick(draft.id, ordered[0]!.articleId, { pinned: true });
    await ws.ctx.store.editions.updatePick(draft.id, ordered.at(-1)!.articleId, { excluded: true });
    curation.pinned.set(draft.id, storyOf(ordered[0]!.url));
    curation.excluded.set(draft.id, storyOf(ordered.at(-1)!.url));
  }
}

/** Ticks the scheduler hourly from its clock to `until`, curating dailies and making the changes due on the way. */
async function simulate(
  ws: SchedulerWorkspace,
  until: string,
  curation: Curation,
  changes: { at: string; email: string; cadence: string }[],
): Promise<void> {
  const pending = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  while (ws.clock.now().getTime() <= Date.parse(until)) {
    while (pending[0] && Date.parse(pending[0].at) <= ws.clock.now().getTime()) {
      const change = pending.shift()!;
      await changeCadence(ws, change.email, change.cadence);
    }
    await ws.scheduler.tick(ws.clock.now());
    await curateDailies(ws, curation);
    ws.clock.advance(HOUR);
  }
}

const byReader = (received: Received[], email: string) => received.filter((r) => r.to === email);
const streamsOf = (mails: Received[]) => mails.map((m) => `${m.stream} ${m.slot}`);

function expectEachStoryAtMostOnce(received: Received[], readers: CadenceReader[]): void {
  for (const reader of readers) {
    const stories = byReader(received, reader.email).flatMap((m) => m.stories);
    expect({ reader: reader.email, repeated: stories.filter((s, i) => stories.indexOf(s) !== i) }).toEqual({
      reader: reader.email,
      repeated: [],
    });
  }
}

/** The windows of a reader's editions, in slot order, leave no gap between them. */
async function expectWindowsTile(ws: SchedulerWorkspace, mails: Received[]): Promise<void> {
  const windows: { id: string; since: number; slot: number }[] = [];
  for (const mail of mails) {
    const id = `${mail.stream}/${mail.slot.slice(0, 13)}:${mail.slot.slice(13)}`;
    const edition = (await ws.ctx.store.editions.getEdition(id))!;
    const stream = ws.ctx.config.newsletters.find((n) => n.id === mail.stream)!;
    const slot = new Date(edition.slot);
    const { since } = await windowFor(stream, slot, ws.ctx.store.editions);
    windows.push({ id, since: since!.getTime(), slot: slot.getTime() });
  }
  windows.sort((a, b) => a.slot - b.slot);
  const gaps = windows.slice(1).filter((w, i) => w.since > windows[i]!.slot);
  expect(gaps.map((w) => w.id)).toEqual([]);
}

function cadenceMonth(storeName: string, storeUrl: () => Promise<string | undefined>): void {
  describe(`a month of daily, weekly and monthly readers of one newsletter (issue 26), real ${storeName} and SMTP`, () => {
    const tempDir = useTempDir('tidings-cadence-');
    let stop: (() => Promise<void>) | null = null;
    let ws: SchedulerWorkspace | null = null;
    afterEach(async () => {
      ws?.close();
      ws = null;
      await stop?.();
      stop = null;
    });

    it('sends each stream at its slots across the October DST change; switches neither repeat nor skip', async () => {
      const sink = await startStorySink();
      stop = sink.close;
      const readers: CadenceReader[] = [
        { email: 'd1@example.org', cadence: 'daily' },
        { email: 'd2@example.org', cadence: '' },
        { email: 'w1@example.org', cadence: 'weekly' },
        { email: 'w2@example.org', cadence: 'weekly' },
        { email: 'm1@example.org', cadence: 'monthly' },
        { email: 's1@example.org', cadence: 'daily' },
        { email: 's2@example.org', cadence: 'weekly' },
        { email: 's3@example.org', cadence: 'monthly' },
        { email: 's4@example.org', cadence: 'daily' },
      ];
      const dir = tempDir();
      ws = await createCadenceWorkspace(dir, {
        start: '2026-10-11T22:00:00Z',
        smtpPort: sink.port,
        readers,
        storeUrl: await storeUrl(),
      });
      writeStories(dir, '2026-10-04T01:00:00Z', '2026-11-10T00:00:00Z', 8);
      const curation: Curation = { pinned: new Map(), excluded: new Map() };
      await simulate(ws, '2026-11-09T08:00:00Z', curation, [
        // Wednesday 10:00 local: daily → weekly, weekly → daily; monthly → weekly; a change made and taken back.
        { at: '2026-10-14T08:00:00Z', email: 's1@example.org', cadence: 'weekly' },
        { at: '2026-10-21T08:00:00Z', email: 's2@example.org', cadence: 'daily' },
        { at: '2026-10-20T08:00:00Z', email: 's3@example.org', cadence: 'weekly' },
        { at: '2026-10-28T09:00:00Z', email: 's4@example.org', cadence: 'monthly' },
        { at: '2026-10-28T19:00:00Z', email: 's4@example.org', cadence: 'daily' },
      ]);
      const received = sink.received;

      // Every daily slot from Oct 12 to Nov 9 (29), Mondays Oct 12 … Nov 9 (5), November's first (1); 07:00 local throughout.
      const d1 = byReader(received, 'd1@example.org');
      expect(d1).toHaveLength(29);
      expect(d1.every((m) => m.stream === 'daily' && m.slot.endsWith('T0700'))).toBe(true);
      expect(byReader(received, 'd2@example.org')).toHaveLength(29);
      expect(streamsOf(byReader(received, 'w1@example.org'))).toEqual(
        ['2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09'].map((d) => `daily.weekly ${d}T0700`),
      );
      expect(streamsOf(byReader(received, 'm1@example.org'))).toEqual(['daily.monthly 2026-11-01T0700']);

      expectEachStoryAtMostOnce(received, readers);

      // Weekly readers get the week's top stories: every story editors pinned in the week's dailies, none they excluded.
      for (const mail of byReader(received, 'w1@example.org').slice(1)) {
        const slot = Date.parse(`${mail.slot.slice(0, 10)}T05:00:00Z`);
        const week = [...curation.pinned.entries()].filter(([id]) => {
          const at = Date.parse(`${id.slice(6, 16)}T05:00:00Z`);
          return at < slot && at > slot - 7 * 24 * HOUR;
        });
        expect(week.length).toBeGreaterThanOrEqual(6);
        for (const [, story] of week) expect(mail.stories).toContain(story);
        for (const [id, story] of curation.excluded)
          if (week.some(([w]) => w === id)) expect(mail.stories).not.toContain(story);
      }

      // daily → weekly on Wednesday the 14th: Thursday's daily still comes, then the weekly of the 19th.
      const s1 = streamsOf(byReader(received, 's1@example.org'));
      expect(s1.filter((s) => s.startsWith('daily ')).at(-1)).toBe('daily 2026-10-15T0700');
      expect(s1.filter((s) => s.startsWith('daily.weekly'))[0]).toBe('daily.weekly 2026-10-19T0700');
      // weekly → daily on the 21st: the weekly of the 26th still comes, dailies from the 27th.
      const s2 = streamsOf(byReader(received, 's2@example.org'));
      expect(s2.filter((s) => s.startsWith('daily.weekly')).at(-1)).toBe('daily.weekly 2026-10-26T0700');
      expect(s2.filter((s) => s.startsWith('daily '))[0]).toBe('daily 2026-10-27T0700');
      // monthly → weekly on the 20th: November's monthly still comes, weeklies after it.
      expect(streamsOf(byReader(received, 's3@example.org'))).toEqual([
        'daily.monthly 2026-11-01T0700',
        'daily.weekly 2026-11-02T0700',
        'daily.weekly 2026-11-09T0700',
      ]);
      // A change taken back before it was due changes nothing.
      expect(byReader(received, 's4@example.org')).toHaveLength(29);

      // No period skipped: each message's window starts no later than the slot of the reader's message before it.
      for (const reader of readers) await expectWindowsTile(ws, byReader(received, reader.email));

      // `tidings status daily` groups the streams and counts deliveries per cadence.
      let out = '';
      const sources = await appOperations(ws.ctx).statusSources();
      const write = (text: string) => {
        out += text;
      };
      await runStatus({ ...sources, stdout: { write }, stderr: { write } }, { newsletter: 'daily', json: true });
      const status = JSON.parse(out) as { editions: { edition: string; cadence: string }[]; cadences: unknown[] };
      const sent = (stream: string) => received.filter((m) => m.stream === stream).length;
      expect(status.cadences).toEqual([
        expect.objectContaining({ newsletter: 'daily', cadence: 'daily', editions: 29, accepted: sent('daily') }),
        expect.objectContaining({
          newsletter: 'daily',
          cadence: 'weekly',
          editions: 5,
          accepted: sent('daily.weekly'),
        }),
        expect.objectContaining({
          newsletter: 'daily',
          cadence: 'monthly',
          editions: 1,
          accepted: sent('daily.monthly'),
        }),
      ]);
      expect(
        status.editions
          .slice(0, 2)
          .map((e) => [e.edition, e.cadence])
          .sort(),
      ).toEqual([
        ['daily.weekly/2026-11-09T07:00', 'weekly'],
        ['daily/2026-11-09T07:00', 'daily'],
      ]);
      out = '';
      await runStatus({ ...sources, stdout: { write }, stderr: { write } }, { newsletter: 'daily', json: false });
      expect(out).toMatch(
        /deliveries per cadence:\n {2}daily: daily \d+ accepted \(29 editions\) · weekly \d+ accepted \(5 editions\) · monthly 2 accepted \(1 edition\)/,
      );
    }, 600_000);

    it('keeps weekly and daily readers whole across the March DST change', async () => {
      const sink = await startStorySink();
      stop = sink.close;
      const readers: CadenceReader[] = [
        { email: 'd1@example.org', cadence: 'daily' },
        { email: 'w1@example.org', cadence: 'weekly' },
        { email: 's1@example.org', cadence: 'weekly' },
        { email: 's2@example.org', cadence: 'daily' },
      ];
      const dir = tempDir();
      ws = await createCadenceWorkspace(dir, {
        start: '2027-03-21T22:00:00Z',
        smtpPort: sink.port,
        readers,
        storeUrl: await storeUrl(),
      });
      writeStories(dir, '2027-03-14T01:00:00Z', '2027-04-06T00:00:00Z', 8);
      const curation: Curation = { pinned: new Map(), excluded: new Map() };
      await simulate(ws, '2027-04-05T06:00:00Z', curation, [
        { at: '2027-03-24T09:00:00Z', email: 's1@example.org', cadence: 'daily' },
        { at: '2027-03-24T09:00:00Z', email: 's2@example.org', cadence: 'weekly' },
      ]);
      const received = sink.received;
      // 07:00 local on both sides of Sunday the 28th: 06:00 UTC before, 05:00 UTC after.
      expect(streamsOf(byReader(received, 'w1@example.org'))).toEqual(
        ['2027-03-22', '2027-03-29', '2027-04-05'].map((d) => `daily.weekly ${d}T0700`),
      );
      expect(byReader(received, 'd1@example.org')).toHaveLength(15);
      expect(streamsOf(byReader(received, 's1@example.org'))).toEqual([
        'daily.weekly 2027-03-22T0700',
        'daily.weekly 2027-03-29T0700',
        ...['03-30', '03-31', '04-01', '04-02', '04-03', '04-04', '04-05'].map((d) => `daily 2027-${d}T0700`),
      ]);
      expect(streamsOf(byReader(received, 's2@example.org')).slice(-3)).toEqual([
        'daily 2027-03-25T0700',
        'daily.weekly 2027-03-29T0700',
        'daily.weekly 2027-04-05T0700',
      ]);
      expectEachStoryAtMostOnce(received, readers);
      for (const reader of readers) await expectWindowsTile(ws, byReader(received, reader.email));
    }, 600_000);
  });
}

cadenceMonth('SQLite', async () => undefined);
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });
  cadenceMonth('PostgreSQL', async () => {
    const database = await createTestDatabase('tidings_cadence');
    databases.push(database);
    return database.url;
  });
});
