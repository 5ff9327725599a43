import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

const READERS = [{ email: 'ada@example.org' }, { email: 'bo@example.org' }, { email: 'cy@example.org' }];

/**
 * Two weeks of a daily schedule across each DST change, ticked every 30 minutes: one
 * edition per local day, every reader exactly one message per edition.
 */
describe('a daily schedule across daylight-saving changes, on a fake clock', () => {
  const tempDir = useTempDir('tidings-sched-');

  const cases = [
    {
      zone: 'Europe/Berlin',
      cron: '30 2 * * *',
      from: '2026-03-22T00:00:00Z',
      to: '2026-04-04T00:00:00Z',
      edge: '2026-03-29T03:30',
    },
    {
      zone: 'Europe/Berlin',
      cron: '30 2 * * *',
      from: '2026-10-18T00:00:00Z',
      to: '2026-10-31T00:00:00Z',
      edge: '2026-10-25T02:30',
    },
    {
      zone: 'America/New_York',
      cron: '30 2 * * *',
      from: '2026-03-01T12:00:00Z',
      to: '2026-03-14T12:00:00Z',
      edge: '2026-03-08T03:30',
    },
    {
      zone: 'America/New_York',
      cron: '30 1 * * *',
      from: '2026-10-25T12:00:00Z',
      to: '2026-11-07T12:00:00Z',
      edge: '2026-11-01T01:30',
    },
    {
      zone: 'Asia/Kolkata',
      cron: '0 7 * * *',
      from: '2026-03-22T00:00:00Z',
      to: '2026-04-04T00:00:00Z',
      edge: '2026-03-29T07:00',
    },
    {
      zone: 'Australia/Lord_Howe',
      cron: '15 2 * * *',
      from: '2026-09-27T00:00:00Z',
      to: '2026-10-10T00:00:00Z',
      edge: '2026-10-04T02:45',
    },
    {
      zone: 'Australia/Lord_Howe',
      cron: '45 1 * * *',
      from: '2026-03-29T00:00:00Z',
      to: '2026-04-11T00:00:00Z',
      edge: '2026-04-05T01:45',
    },
  ];

  for (const c of cases) {
    it(`${c.zone} "${c.cron}" from ${c.from.slice(0, 10)}: thirteen editions, none dropped or doubled, ${c.edge} included`, async () => {
      const ws = await createSchedulerWorkspace(tempDir(), {
        newsletterYaml: `    schedule: "${c.cron}"\n    timezone: ${c.zone}\n    window: 24h\n`,
        readers: READERS,
        start: c.from,
      });
      try {
        ws.addArticles(new Date(new Date(c.from).getTime() - 86_400_000).toISOString(), c.to, 4);
        await ws.runUntil(c.to, 30 * 60_000);
        const editions = (await ws.ctx.store.editions.listEditions('daily')).reverse();
        expect(editions.map((e) => e.status)).toEqual(Array(13).fill('sent'));
        const days = editions.map((e) => e.id.slice(6, 16));
        expect(new Set(days).size).toBe(13);
        expect(editions.map((e) => e.id)).toContain(`daily/${c.edge}`);
        for (const edition of editions) {
          expect(await ws.ctx.store.ledger.counts(edition.id), edition.id).toMatchObject({
            accepted: 3,
            pending: 0,
            sending: 0,
          });
          expect(ws.outboxFiles(edition.id)).toHaveLength(3);
        }
        // Consecutive sends are a day apart give or take the DST change, never two in one night.
        const gaps = editions
          .slice(1)
          .map((e, i) => (new Date(e.slot).getTime() - new Date(editions[i]!.slot).getTime()) / 3_600_000);
        for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(23);
      } finally {
        ws.close();
      }
    }, 120_000);
  }
});
