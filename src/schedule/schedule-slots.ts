import { slotFor, type Slot } from '../editions/slot.ts';
import type { CronSchedule } from '../core/cron-expression.ts';
import { formatWallTime, instantOfWallTime, wallTimeAt, type WallTimeFit } from '../core/zone-time.ts';

/** One scheduled time of a newsletter: the edition slot plus what the cron expression asked for. */
export interface ScheduledSlot extends Slot {
  /** The wall time the expression names (differs from `local` when a DST gap moved it). */
  scheduledLocal: string;
  fit: WallTimeFit;
}

const DAY = 86_400_000;

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day fields combine with AND, as node-cron 4 matches them (unlike Vixie cron's OR). */
function dayMatches(schedule: CronSchedule, year: number, month: number, day: number): boolean {
  if (!schedule.months.includes(month)) return false;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (!schedule.daysOfWeek.includes(weekday)) return false;
  return schedule.daysOfMonth.some((value) => value === day || (value === 'L' && day === lastDayOfMonth(year, month)));
}

/**
 * The slots of a schedule in a time zone with `from <= slot <= to`, in order. Pure: no
 * timers, no clock. Slots are minutes (a seconds field only makes the real-time trigger
 * fire more often); a wall time skipped by a DST gap moves forward by the gap, a
 * repeated one happens once (the first time), and two wall times that land on the same
 * instant are one slot, so a DST change neither drops nor doubles a send.
 */
export function listSlots(schedule: CronSchedule, timeZone: string, from: Date, to: Date): ScheduledSlot[] {
  const start = wallTimeAt(from.getTime() - DAY, timeZone);
  const end = wallTimeAt(to.getTime() + DAY, timeZone);
  const found = new Map<number, ScheduledSlot>();
  for (
    let date = Date.UTC(start.year, start.month - 1, start.day);
    date <= Date.UTC(end.year, end.month - 1, end.day);
    date += DAY
  ) {
    const d = new Date(date);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (!dayMatches(schedule, year, month, day)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const wall = { year, month, day, hour, minute };
        const { at, fit } = instantOfWallTime(wall, timeZone);
        if (at < from.getTime() || at > to.getTime() || found.has(at)) continue;
        found.set(at, { ...slotFor(new Date(at), timeZone), scheduledLocal: formatWallTime(wall), fit });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.utc.getTime() - b.utc.getTime());
}

/** The next `count` slots strictly after an instant (searching up to about eleven years ahead). */
export function nextSlots(schedule: CronSchedule, timeZone: string, after: Date, count: number): ScheduledSlot[] {
  const from = new Date(after.getTime() + 60_000 - (after.getTime() % 60_000));
  for (let span = 2 * DAY; span <= 4096 * DAY; span *= 4) {
    const slots = listSlots(schedule, timeZone, from, new Date(from.getTime() + span));
    if (slots.length >= count || span * 4 > 4096 * DAY) return slots.slice(0, count);
  }
  return [];
}
