import { describe, expect, it } from 'vitest';
import { parseAt } from '../../src/app/edition-pipeline.ts';
import type { AppContext } from '../../src/app/context.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { isTimeZone, parseInstant } from '../../src/core/zone-time.ts';
import { slotFor } from '../../src/editions/slot.ts';
import { parseCronExpression } from '../../src/core/cron-expression.ts';
import { releaseAt } from '../../src/schedule/release-times.ts';
import { listSlots } from '../../src/schedule/schedule-slots.ts';

const ctx = { clock: createFixedClock('2026-10-01T00:00:00Z') } as unknown as AppContext;

function scheduledAt(wall: string, zone: string) {
  const parsed = parseCronExpression(`${Number(wall.slice(14, 16))} ${Number(wall.slice(11, 13))} * * *`);
  if (!parsed.ok) throw new Error(parsed.problem);
  const day = new Date(`${wall.slice(0, 10)}T00:00:00Z`).getTime();
  const slots = listSlots(parsed.schedule, zone, new Date(day - 86_400_000 / 2), new Date(day + 86_400_000 * 1.5));
  const slot = slots.find((s) => s.scheduledLocal === wall);
  if (!slot) throw new Error(`no slot at ${wall}`);
  return slot;
}

describe('one clock for wall time (core/zone-time.ts)', () => {
  const cases = [
    // Fall back: 02:30 happens twice; the rule takes the first (summer offset).
    {
      zone: 'Europe/Berlin',
      wall: '2026-10-25T02:30',
      instant: '2026-10-25T00:30:00.000Z',
      editionLocal: '2026-10-25T02:30',
    },
    // Spring forward: 02:30 never happens; it moves forward by the gap, to 03:30.
    {
      zone: 'Europe/Berlin',
      wall: '2026-03-29T02:30',
      instant: '2026-03-29T01:30:00.000Z',
      editionLocal: '2026-03-29T03:30',
    },
    {
      zone: 'America/New_York',
      wall: '2026-11-01T01:30',
      instant: '2026-11-01T05:30:00.000Z',
      editionLocal: '2026-11-01T01:30',
    },
    {
      zone: 'America/New_York',
      wall: '2026-03-08T02:30',
      instant: '2026-03-08T07:30:00.000Z',
      editionLocal: '2026-03-08T03:30',
    },
  ];

  for (const { zone, wall, instant, editionLocal } of cases) {
    it(`${wall} in ${zone} is one instant for --at, the scheduler and the release times`, () => {
      const fromCli = parseAt(ctx, wall, zone).toISOString();
      const slot = scheduledAt(wall, zone);
      const fromRelease = releaseAt(slot, zone).toISOString();
      expect({ fromCli, fromScheduler: slot.utc.toISOString(), fromRelease }).toEqual({
        fromCli: instant,
        fromScheduler: instant,
        fromRelease: instant,
      });
      // The edition id the instant gets names the wall time that really happened.
      expect(slotFor(new Date(instant), zone).local).toBe(editionLocal);
      expect(slot.local).toBe(editionLocal);
    });
  }

  it('parses offsets as written and refuses times that are not on the calendar', () => {
    expect(parseInstant('2026-10-25T02:30:00+01:00', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(parseInstant('2026-10-25T02:30', 'UTC')?.toISOString()).toBe('2026-10-25T02:30:00.000Z');
    for (const bad of ['2026-02-30T07:00', '2026-11-28T24:00', '2026-11-28', 'soon'])
      expect(parseInstant(bad, 'UTC'), bad).toBeNull();
  });

  it('validates zones the way the config, subscriber lists, release times and the preferences page do', () => {
    expect(['Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires'].every(isTimeZone)).toBe(true);
    expect(['Europe/Atlantis', '', 'Berlin', '+01:00x'].some(isTimeZone)).toBe(false);
    expect(releaseAt(scheduledAt('2026-10-25T02:30', 'Europe/Berlin'), 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});
