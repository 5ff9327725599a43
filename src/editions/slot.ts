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

function partsIn(at: Date, timeZone: string): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
}

/** The offset of a time zone at an instant, as `+01:00`. */
export function offsetAt(at: Date, timeZone: string): string {
  const p = partsIn(at, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const minutes = Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The slot for an instant: truncated to the minute, expressed in the time zone. */
export function slotFor(at: Date, timeZone: string): Slot {
  const utc = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const p = partsIn(utc, timeZone);
  const local = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
  return { local, iso: `${local}:00${offsetAt(utc, timeZone)}`, utc };
}

export function editionIdFor(newsletterId: string, slot: Slot): string {
  return `${newsletterId}/${slot.local}`;
}

/** Parses `daily/2026-11-28T07:00` back into its parts; null when it is not an edition id. */
export function parseEditionId(id: string): { newsletterId: string; local: string } | null {
  const match = /^([a-z0-9][a-z0-9-]*)\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/.exec(id);
  return match ? { newsletterId: match[1]!, local: match[2]! } : null;
}

/** A file-name-safe form of an edition id: `daily-2026-11-28T0700`. */
export function editionFileStem(newsletterId: string, slot: Slot | string): string {
  const local = typeof slot === 'string' ? slot : slot.local;
  return `${newsletterId}-${local.replace(':', '')}`;
}
