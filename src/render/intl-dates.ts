/**
 * Dates and times in the subscriber's locale and time zone, through Intl. Formatters
 * are cached: building an Intl.DateTimeFormat costs far more than using one.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let found = cache.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, found);
  }
  return found;
}

export type DateStyle = 'long' | 'medium' | 'short' | 'weekday' | 'time' | 'dateTime' | 'iso';

const STYLES: Record<Exclude<DateStyle, 'iso'>, Intl.DateTimeFormatOptions> = {
  long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  medium: { day: 'numeric', month: 'short', year: 'numeric' },
  short: { day: 'numeric', month: 'short' },
  /** "Monday 14 December": a day within the coming weeks (when a change of cadence takes effect). */
  weekday: { weekday: 'long', day: 'numeric', month: 'long' },
  time: { hour: 'numeric', minute: '2-digit' },
  dateTime: { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' },
};

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(iso: string | null | undefined, style: DateStyle, locale: string, timeZone: string): string {
  const date = parse(iso);
  if (!date) return '';
  if (style === 'iso') return date.toISOString();
  return formatter(locale, timeZone, STYLES[style]).format(date);
}

/**
 * An article's time as a reader wants it: only the time when it was published on
 * the edition's day (in the reader's zone), else day and time.
 */
export function formatArticleTime(iso: string | null, editionIso: string, locale: string, timeZone: string): string {
  const date = parse(iso);
  if (!date) return '';
  const day = formatter(locale, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const sameDay = parse(editionIso) !== null && day.format(date) === day.format(parse(editionIso)!);
  return formatDate(iso, sameDay ? 'time' : 'dateTime', locale, timeZone);
}
