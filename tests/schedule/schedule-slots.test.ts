import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { parseCronExpression, type CronSchedule } from '../../src/core/cron-expression.ts';
import { listSlots, nextSlots } from '../../src/schedule/schedule-slots.ts';

function cron(expression: string): CronSchedule {
  const parsed = parseCronExpression(expression);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.schedule;
}

const isos = (expression: string, zone: string, from: string, to: string) =>
  listSlots(cron(expression), zone, new Date(from), new Date(to)).map((slot) => slot.iso);

describe('slots of a schedule in a time zone', () => {
  it('a daily 07:00 keeps its wall time across both Berlin changes: one slot per day, the offset moves', () => {
    const march = isos('0 7 * * *', 'Europe/Berlin', '2026-03-27T00:00Z', '2026-03-31T00:00Z');
    expect(march).toEqual([
      '2026-03-27T07:00:00+01:00',
      '2026-03-28T07:00:00+01:00',
      '2026-03-29T07:00:00+02:00',
      '2026-03-30T07:00:00+02:00',
    ]);
    const october = isos('0 7 * * *', 'Europe/Berlin', '2026-10-23T00:00Z', '2026-10-27T00:00Z');
    expect(october).toEqual([
      '2026-10-23T07:00:00+02:00',
      '2026-10-24T07:00:00+02:00',
      '2026-10-25T07:00:00+01:00',
      '2026-10-26T07:00:00+01:00',
    ]);
  });

  it('02:30 on spring-forward day happens once, at 03:30 (moved by the gap); on fall-back day once, the first 02:30', () => {
    const spring = listSlots(
      cron('30 2 * * *'),
      'Europe/Berlin',
      new Date('2026-03-28T12:00Z'),
      new Date('2026-03-30T12:00Z'),
    );
    expect(spring.map((s) => [s.scheduledLocal, s.iso, s.fit])).toEqual([
      ['2026-03-29T02:30', '2026-03-29T03:30:00+02:00', 'skipped'],
      ['2026-03-30T02:30', '2026-03-30T02:30:00+02:00', 'exact'],
    ]);
    const fall = listSlots(
      cron('30 2 * * *'),
      'Europe/Berlin',
      new Date('2026-10-24T12:00Z'),
      new Date('2026-10-26T12:00Z'),
    );
    expect(fall.map((s) => [s.iso, s.fit])).toEqual([
      ['2026-10-25T02:30:00+02:00', 'repeated'],
      ['2026-10-26T02:30:00+01:00', 'exact'],
    ]);
  });

  it('New York: 02:30 on the second Sunday of March moves to 03:30; 01:30 on the first Sunday of November happens once', () => {
    expect(isos('30 2 * * *', 'America/New_York', '2026-03-07T12:00Z', '2026-03-09T12:00Z')).toEqual([
      '2026-03-08T03:30:00-04:00',
      '2026-03-09T02:30:00-04:00',
    ]);
    expect(isos('30 1 * * *', 'America/New_York', '2026-10-31T12:00Z', '2026-11-02T12:00Z')).toEqual([
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });

  it('Lord Howe shifts by 30 minutes: a quarter-hourly schedule neither drops nor doubles an instant', () => {
    // 4 October 2026: 02:00 becomes 02:30 (+10:30 → +11:00).
    const spring = listSlots(
      cron('*/15 1-3 * * *'),
      'Australia/Lord_Howe',
      new Date('2026-10-03T12:00Z'),
      new Date('2026-10-04T12:00Z'),
    );
    const instants = spring.map((s) => s.utc.getTime());
    expect(new Set(instants).size).toBe(instants.length);
    expect(spring.map((s) => s.local.slice(11))).toEqual([
      '01:00',
      '01:15',
      '01:30',
      '01:45',
      '02:30',
      '02:45',
      '03:00',
      '03:15',
      '03:30',
      '03:45',
    ]);
    // 5 April 2026: 02:00 (+11:00) goes back to 01:30 (+10:30): 01:30 and 01:45 happen twice, slots once.
    const fall = listSlots(
      cron('*/15 1-2 * * *'),
      'Australia/Lord_Howe',
      new Date('2026-04-04T12:00Z'),
      new Date('2026-04-05T12:00Z'),
    );
    expect(fall.map((s) => s.iso.slice(11))).toEqual([
      '01:00:00+11:00',
      '01:15:00+11:00',
      '01:30:00+11:00',
      '01:45:00+11:00',
      '02:00:00+10:30',
      '02:15:00+10:30',
      '02:30:00+10:30',
      '02:45:00+10:30',
    ]);
    // Consecutive slots are never closer than 15 minutes: the repeated half hour is not sent twice.
    for (let i = 1; i < fall.length; i++)
      expect(fall[i]!.utc.getTime() - fall[i - 1]!.utc.getTime()).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it('Kolkata (+05:30, no DST): a year of daily slots, exactly one per day at 07:00 local', () => {
    const year = listSlots(
      cron('0 7 * * *'),
      'Asia/Kolkata',
      new Date('2026-01-01T00:00Z'),
      new Date('2027-01-01T00:00Z'),
    );
    expect(year).toHaveLength(365);
    expect(year.every((s) => s.iso.endsWith('T07:00:00+05:30'))).toBe(true);
  });

  it('a year of daily slots in each DST zone: one per local day of 2026, no two within 20 hours', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const time of ['30 2 * * *', '45 1 * * *']) {
        const slots = listSlots(cron(time), zone, new Date('2025-12-30T00:00Z'), new Date('2027-01-02T00:00Z')).filter(
          (s) => s.local.startsWith('2026-'),
        );
        expect(slots, `${zone} ${time}`).toHaveLength(365);
        expect(new Set(slots.map((s) => s.local.slice(0, 10))).size).toBe(365);
        for (let i = 1; i < slots.length; i++)
          expect(slots[i]!.utc.getTime() - slots[i - 1]!.utc.getTime()).toBeGreaterThan(20 * 3_600_000);
      }
    }
  });

  it('weekday lists, the last day of the month, and six-field expressions (slots are minutes)', () => {
    expect(isos('0 9 * * 1-5', 'UTC', '2026-11-27T00:00Z', '2026-12-02T00:00Z')).toEqual([
      '2026-11-27T09:00:00+00:00',
      '2026-11-30T09:00:00+00:00',
      '2026-12-01T09:00:00+00:00',
    ]);
    expect(isos('0 18 L * *', 'UTC', '2026-01-01T00:00Z', '2026-04-01T00:00Z').map((iso) => iso.slice(0, 10))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(isos('*/10 * * * * *', 'UTC', '2026-11-28T07:00Z', '2026-11-28T07:02Z')).toEqual([
      '2026-11-28T07:00:00+00:00',
      '2026-11-28T07:01:00+00:00',
      '2026-11-28T07:02:00+00:00',
    ]);
    expect(
      nextSlots(cron('0 7 * * *'), 'Europe/Berlin', new Date('2026-11-28T06:00:00Z'), 2).map((s) => s.iso),
    ).toEqual(['2026-11-29T07:00:00+01:00', '2026-11-30T07:00:00+01:00']);
  });
});

describe('schedule validation at config load', () => {
  const load = (schedule: string) =>
    parseConfig(
      {
        categories: { tech: { title: 'Tech' } },
        newsletters: [{ id: 'daily', title: 'Daily', categories: ['tech'], from: 'a@example.org', schedule }],
      },
      {},
      'tidings.config.yaml',
    );

  it('names the key and what is wrong', () => {
    expect(() => load('0 7 * *')).toThrow(/newsletters\[0\]\.schedule.*5 fields.*got 4/s);
    expect(() => load('0 25 * * *')).toThrow(/newsletters\[0\]\.schedule.*hour field "25"/s);
    expect(() => load('0 7 1W * *')).toThrow(/newsletters\[0\]\.schedule.*not "1W"/s);
    expect(load('0 0 7 * * 1-5').newsletters[0]!.schedule).toBe('0 0 7 * * 1-5');
  });

  it('prepareAhead defaults to 2h with requireApproval, else 0; the other keys have their documented defaults', () => {
    const config = parseConfig(
      {
        categories: { tech: { title: 'Tech' } },
        newsletters: [
          { id: 'a', title: 'A', categories: ['tech'], from: 'a@example.org', requireApproval: true },
          {
            id: 'b',
            title: 'B',
            categories: ['tech'],
            from: 'a@example.org',
            prepareAhead: '30m',
            catchUp: '2h',
            deliver: 'subscriber-local',
          },
        ],
      },
      {},
      'tidings.config.yaml',
    );
    expect(config.newsletters[0]).toMatchObject({
      prepareAhead: 7_200_000,
      approvalDeadline: 3_600_000,
      onApprovalTimeout: 'skip',
      catchUp: 3_600_000,
      deliver: 'at-slot',
    });
    expect(config.newsletters[1]).toMatchObject({
      prepareAhead: 1_800_000,
      catchUp: 7_200_000,
      deliver: 'subscriber-local',
    });
    expect(() =>
      parseConfig(
        {
          categories: { t: { title: 'T' } },
          newsletters: [{ id: 'c', title: 'C', categories: ['t'], from: 'a@example.org', deliver: 'whenever' }],
        },
        {},
        'x.yaml',
      ),
    ).toThrow(/newsletters\[0\]\.deliver/);
  });
});
