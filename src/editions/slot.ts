import { formatOffset, formatWallTime, offsetMinutesAt, wallTimeAt } from '../core/zone-time.ts';

/**
 * A slot is the scheduled time of an edition in its newsletter's time zone, to the
 * minute. The edition id is `newsletter/YYYY-MM-DDTHH:mm` in that zone.
 */
export interface Slot {
  /** Local wall time, `2026-11-28T07:00`. */
  local: string;
  /** ISO 8601 with the zone's offset at that instant, `2026-11-28T07:00:00+01:00`. */
  iso: string;
  /** The instant. */
  utc: Date;
}

/** The offset of a time zone at an instant, as `+01:00`. */
export function offsetAt(at: Date, timeZone: string): string {
  return formatOffset(offsetMinutesAt(at.getTime(), timeZone));
}

/** The slot for an instant: truncated to the minute, expressed in the time zone. */
export function slotFor(at: Date, timeZone: string): Slot {
  const utc = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const local = formatWallTime(wallTimeAt(utc, timeZone));
  return { local, iso: `${local}:00${offsetAt(utc, timeZone)}`, utc };
}

export function editionIdFor(newsletterId: string, slot: Slot): string {
  return `${newsletterId}/${slot.local}`;
}

/**
 * Parses `daily/2026-11-28T07:00` back into its parts; null when it is not an edition id.
 * A cadence stream's id has one dot (`world.weekly/2026-12-07T07:00`, src/config/cadences.ts).
 */
export function parseEditionId(id: string): { newsletterId: string; local: string } | null {
  const match = /^([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)?)\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/.exec(id);
  return match ? { newsletterId: match[1]!, local: match[2]! } : null;
}

/** A file-name-safe form of an edition id: `daily-2026-11-28T0700`. */
export function editionFileStem(newsletterId: string, slot: Slot | string): string {
  const local = typeof slot === 'string' ? slot : slot.local;
  return `${newsletterId}-${local.replace(':', '')}`;
}
