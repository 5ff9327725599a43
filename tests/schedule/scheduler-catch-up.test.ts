import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/cli-run.ts';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

const READERS = [{ email: 'ada@example.org' }, { email: 'bo@example.org' }];

describe('restart after an outage: catch-up within catchUp, missed slots recorded, never a second edition', () => {
  const tempDir = useTempDir('tidings-sched-');

  it('sends a slot missed by 40 minutes, records slots missed by more than catchUp, and their articles go to the next edition', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: since-last\n    perCategory: 50\n    maxArticles: 50\n    catchUp: 1h\n`,
      readers: READERS,
      start: '2026-11-30T06:00:00Z',
    });
    try {
      ws.addArticles('2026-11-29T09:00:00Z', '2026-12-04T06:00:00Z', 6);
      await ws.runUntil('2026-11-30T08:00:00Z');
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!.status).toBe('sent');

      // Down from Monday 08:00 to Tuesday 07:40: Tuesday's slot is 40 minutes late, within catchUp.
      ws.clock.set('2026-12-01T07:40:00Z');
      await ws.restart();
      const [report] = await ws.runUntil('2026-12-01T07:40:00Z');
      expect(report!.actions.map((a) => `${a.editionId} ${a.action}`)).toEqual([
        'daily/2026-12-01T07:00 prepared',
        'daily/2026-12-01T07:00 sent',
      ]);

      // Down again until Thursday 08:30: Wednesday (a day late) and Thursday (90 minutes late) are missed.
      ws.clock.set('2026-12-03T08:30:00Z');
      await ws.restart();
      await ws.runUntil('2026-12-03T08:30:00Z');
      for (const id of ['daily/2026-12-02T07:00', 'daily/2026-12-03T07:00']) {
        const missed = (await ws.ctx.store.editions.getEdition(id))!;
        expect(missed.status, id).toBe('skipped');
        expect(missed.statusReason).toMatch(/^missed: .*catchUp/);
        expect(missed.articles).toEqual([]);
        expect(ws.outboxFiles(id)).toHaveLength(0);
      }
      const listed = await runCli(['-q', '-c', ws.configFile, 'schedule', '--list'], {}, '2026-12-03T08:31:00Z');
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/last run: 2026-12-03T08:30:00\.000Z daily\/2026-12-03T07:00 missed/);
      expect(listed.out).toContain('2026-12-04 07:00 +00:00  = 2026-12-04 07:00Z  not built');

      // The same slot never gets a second edition, even by hand.
      const byHand = await runCli(
        ['-q', '-c', ws.configFile, 'send', 'daily', '--at', '2026-12-03T07:00'],
        {},
        '2026-12-03T08:35:00Z',
      );
      expect(byHand.out).toMatch(/skipped, not sent \(missed/);

      // Friday gets everything published since Tuesday's edition, the missed days' articles included.
      await ws.runUntil('2026-12-04T07:00:00Z', 30 * 60_000);
      const friday = (await ws.ctx.store.editions.getEdition('daily/2026-12-04T07:00'))!;
      expect(friday.status).toBe('sent');
      const published = friday.articles.map((a) => Date.parse(a.publishedAt!)).sort();
      expect(new Date(published[0]!).toISOString()).toBe('2026-12-01T09:00:00.000Z');
      expect(friday.articles).toHaveLength(12);
      for (const id of ['daily/2026-11-30T07:00', 'daily/2026-12-01T07:00', 'daily/2026-12-04T07:00']) {
        expect(await ws.ctx.store.ledger.counts(id)).toMatchObject({ accepted: 2 });
      }
    } finally {
      ws.close();
    }
  }, 60_000);
});
