/**
 * Times on the desk, in the newsletter's time zone (the zone its editors plan its slots
 * in), e.g. "28 Nov 2026, 07:00 GMT", with the exact instant kept for `<time datetime>`.
 * Server-side on purpose: the desk works without its script, and one edition reads the
 * same for every editor whatever their browser's zone.
 */
export interface DeskTime {
  /** The instant, ISO 8601 UTC: the `datetime` attribute. */
  iso: string;
  /** What the editor reads. */
  text: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Null for a missing or unreadable time. */
export function deskTime(value: string | Date | null | undefined, timeZone: string): DeskTime | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return { iso: date.toISOString(), text: formatIn(timeZone).format(date) };
}
