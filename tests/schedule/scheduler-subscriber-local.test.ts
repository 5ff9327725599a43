import { describe, expect, it } from 'vitest';
import { instantOfWallTime, parseWallTime } from '../../src/core/zone-time.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

const READERS = [
  { email: 'kiri@example.org', timezone: 'Pacific/Auckland' },
  { email: 'anil@example.org', timezone: 'Asia/Kolkata' },
  { email: 'greta@example.org', timezone: 'Europe/Berlin' },
  { email: 'nina@example.org', timezone: 'America/New_York' },
  { email: 'lou@example.org', timezone: 'America/Los_Angeles' },
  { email: 'zed@example.org' }, // no zone: the newsletter's (UTC)
];

describe('deliver: subscriber-local across five zones', () => {
  const tempDir = useTempDir('tidings-sched-');

  it('one edition per day, frozen before the earliest zone; each reader gets it once, at 07:00 their time', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: 48h\n    deliver: subscriber-local\n`,
      readers: READERS,
      start: '2026-11-29T00:00:00Z',
    });
    try {
      ws.addArticles('2026-11-27T00:00:00Z', '2026-12-06T00:00:00Z', 6);
      await ws.runUntil('2026-12-06T00:00:00Z', 15 * 60_000);
      const editions = (await ws.ctx.store.editions.listEditions('daily')).reverse();
      const byDay = new Map(editions.map((e) => [e.id.slice(6, 16), e]));
      for (const day of ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']) {
        const edition = byDay.get(day)!;
        expect(edition.status, day).toBe('sent');
        // Frozen before Auckland's 07:00, the earliest reader (the previous day, 18:00Z).
        const auckland = instantOfWallTime(parseWallTime(`${day}T07:00`)!, 'Pacific/Auckland').at;
        expect(Date.parse(edition.builtAt)).toBeLessThanOrEqual(auckland);
        const rows = await ws.ctx.store.ledger.list(edition.id, 'accepted');
        expect(rows.map((r) => r.email).sort(), day).toEqual(READERS.map((r) => r.email).sort());
        for (const reader of READERS) {
          const row = rows.find((r) => r.email === reader.email)!;
          const local7 = instantOfWallTime(parseWallTime(`${day}T07:00`)!, reader.timezone ?? 'UTC').at;
          const claimed = Date.parse(row.claimedAt!);
          // Released at the first tick at or after 07:00 in the reader's zone (ticks every 15 minutes).
          expect(claimed - local7, `${day} ${reader.email}`).toBeGreaterThanOrEqual(0);
          expect(claimed - local7).toBeLessThan(15 * 60_000);
        }
        expect(ws.outboxFiles(edition.id)).toHaveLength(READERS.length);
      }
      // Only one edition per day, all of them sent or still releasing (the last days).
      expect(new Set(editions.map((e) => e.id.slice(6, 16))).size).toBe(editions.length);
    } finally {
      ws.close();
    }
  }, 120_000);
});
