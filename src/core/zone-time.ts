/**
 * The one clock for wall time: wall-clock time in an IANA zone, to the minute, without a
 * date library. Intl gives the zone's offset at an instant, and a wall time maps back to
 * at most two instants. Every part of Tidings that turns a wall time into an instant
 * (`--at`, the scheduler, release times, edition slots, the preferences page) uses
 * `instantOfWallTime`, so one edition id always means one instant.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
// Building an Intl.DateTimeFormat costs ~35 µs: a subscriber list has few distinct zones,
// so each answer is remembered (bounded: there are ~600 IANA zones).
const knownZones = new Map<string, boolean>();

/** True for a zone this runtime knows (`Europe/Berlin`, `UTC`); false for anything else. */
export function isTimeZone(zone: string): boolean {
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    if (knownZones.size < 4096) knownZones.set(zone, valid);
  }
  return valid;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall time of an instant in a zone (seconds dropped). */
export function wallTimeAt(at: Date | number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The zone's offset from UTC at an instant, in minutes (Berlin in winter: 60). */
export function offsetMinutesAt(at: number, timeZone: string): number {
  const wall = wallTimeAt(at, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return Math.round((asUtc - Math.floor(at / 60_000) * 60_000) / 60_000);
}

/** The offset as `+01:00` (`-03:30`, `+00:00`). */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export type WallTimeFit = 'exact' | 'repeated' | 'skipped';

/**
 * The instant of a wall time in a zone. Around a daylight-saving change a wall time can
 * happen twice or not at all; the rule (the same as Temporal's "compatible"):
 * - repeated (fall back, e.g. 02:30 in Berlin on the last Sunday of October): the
 *   first occurrence, at the summer offset;
 * - skipped (spring forward, e.g. 02:30 in Berlin on the last Sunday of March): moved
 *   forward by the length of the gap, so 02:30 becomes 03:30 (Lord Howe: 02:15 → 02:45).
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): { at: number; fit: WallTimeFit } {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Zones change offset at most once within a day, so the offsets a day either side
  // are the only candidates.
  const before = offsetMinutesAt(asUtc - 86_400_000, timeZone);
  const after = offsetMinutesAt(asUtc + 86_400_000, timeZone);
  const fits = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((at) => {
      const back = wallTimeAt(at, timeZone);
      return back.hour === wall.hour && back.minute === wall.minute && back.day === wall.day;
    })
    .sort((a, b) => a - b);
  if (fits.length) return { at: fits[0]!, fit: fits.length > 1 ? 'repeated' : 'exact' };
  return { at: asUtc - before * 60_000, fit: 'skipped' };
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Parses `2026-11-28T07:00` (an edition id's wall time). */
export function parseWallTime(local: string): WallTime | null {
  const match = LOCAL.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return { year, month, day, hour, minute };
}

export function formatWallTime(wall: WallTime): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${wall.year}-${two(wall.month)}-${two(wall.day)}T${two(wall.hour)}:${two(wall.minute)}`;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * An instant from text: an ISO time with an offset (`2026-11-28T06:00:00Z`) as it says,
 * a wall time without one (`2026-11-28T07:00`, as an edition id shows it) in `timeZone`
 * by `instantOfWallTime`'s rule. Null for anything else, a 2026-13-40 included.
 */
export function parseInstant(text: string, timeZone?: string): Date | null {
  const trimmed = text.trim();
  const local = ISO_LOCAL.exec(trimmed);
  if (local) {
    const [year, month, day, hour, minute, second] = local.slice(1).map((part) => Number(part ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // Date.UTC rolls 2026-13-40 over into 2027; a real calendar time survives the round trip.
    const asUtc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const real =
      asUtc.getUTCMonth() === month - 1 && asUtc.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
    if (!real) return null;
    if (!timeZone) return asUtc;
    return new Date(instantOfWallTime({ year, month, day, hour, minute }, timeZone).at + second * 1000);
  }
  if (!ISO_WITH_ZONE.test(trimmed)) return null;
  const parsed = new Date(trimmed);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
