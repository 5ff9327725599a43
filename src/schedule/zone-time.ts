/**
 * Wall-clock time in an IANA zone, to the minute, without a date library: Intl gives
 * the zone's offset at an instant, and a wall time maps back to at most two instants.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
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
  for (const part of formatterFor(timeZone).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** The zone's offset from UTC at an instant, in minutes (Berlin in winter: 60). */
export function offsetMinutesAt(at: number, timeZone: string): number {
  const wall = wallTimeAt(at, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return Math.round((asUtc - Math.floor(at / 60_000) * 60_000) / 60_000);
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
