/**
 * Every date Tidings reads (feed fields, page metadata, page text, front matter, JSON
 * files) → ISO 8601 UTC, or null when it is not a date. Deterministic: a date without a
 * zone is read as UTC, never as the machine's local time, and the JS engine's own lenient
 * parser is never asked (it finds dates in "hello world 2019 UTC").
 *
 * Layouts, tried in order:
 * - epoch seconds or milliseconds (numbers, or 9–13 digit strings);
 * - ISO 8601 / W3C-DTF: date only, basic or extended, fractions, `Z`, `+01`, `+01:00`, `GMT+1`;
 * - RFC 822/1123 as feeds really write it: no weekday, two-digit years, missing seconds,
 *   named zones, military letters, `+01:00`, a trailing `(comment)`;
 * - month first: ctime "Mon Jan 2 15:04:05 2006", "Jan 2, 2006 15:04", JS Date#toString;
 * - free text: month names in several languages, "12.03.2019", am/pm, words such as
 *   "Published" or "Uhr" around the date.
 * Strict on purpose: a word left over that is neither part of the date nor a filler word
 * makes the whole string "not a date", so a sentence that mentions a date is not one.
 */
import { isFillerWord, militaryOffset, monthByName, monthByNameOrPrefix, UTC_NAMES, ZONES } from './date-words.ts';

/** Longer free text is a sentence, not a date line. */
const MAX_FREE_TEXT = 80;

const ISO =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|(?:UTC|GMT)?\s*[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?)?)?$/i;

/** h:mm[:ss[.fff]] [am|pm]: five groups. */
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:\s*([aApP])\.?[mM]\b\.?)?`;

/** weekday? day month year time? tail: groups 1–4, time 5–9, tail 10. */
const RFC822 = new RegExp(
  String.raw`^(?:(\p{L}{2,12})\.?,?\s*)?(\d{1,2})[\s-]+(\p{L}{3,9})\.?,?[\s-]+(\d{2,4})(?:,?\s+${TIME})?\s*(.*)$`,
  'u',
);

/** weekday? month day (ctime time)? year (time)? tail: groups 1–3, time 4–8, year 9, time 10–14, tail 15. */
const MONTH_FIRST = new RegExp(
  String.raw`^(?:(\p{L}{2,9}),?\s+)?(\p{L}{3,9})\.?\s+(\d{1,2}),?\s+(?:${TIME}\s+)?(\d{4})(?:\s+${TIME})?\s*(.*)$`,
  'u',
);

/** What may follow a date in a fixed layout: a zone, a zone-ish `(comment)`, both or nothing. */
const ZONE_TAIL = /^(?:([A-Za-z]{1,5})\s*)?([+-]\d{1,2}(?::?\d{2})?)?\s*(?:\(([^()]*)\))?$/;

const NAMED_ZONE_WORDS = [...ZONES.keys()].filter((name) => name.length > 1).sort((a, b) => b.length - a.length);
/** A zone inside free text: "GMT", "UTC+3", "MSK", or a bare "+02:00". */
const FREE_TEXT_ZONE = new RegExp(
  `\\b(${NAMED_ZONE_WORDS.join('|')})\\b\\s*([+-]\\d{1,2}(?::?\\d{2})?)?|\\s([+-]\\d{2}:?\\d{2})(?=\\s)`,
);
const FREE_TEXT_TIME = /[\s,|·—–-](\d{1,2})[:.h](\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(?:([ap])\.?m\.?)?(?=[\s,)|])/i;
/** Day first (dotted European) or year first; a US slash date is refused below. */
const FREE_TEXT_NUMERIC =
  /(?:^|\s)(\d{1,2})[./](\d{1,2})[./](\d{4})(?=\s|,|$)|(?:^|\s)(\d{4})[./](\d{1,2})[./](\d{1,2})(?=\s|,|$)/;

export function parseDate(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return fromEpoch(raw);
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));
  return (
    parseIso(text) ??
    parseRfc822(text) ??
    parseMonthFirst(text) ??
    (text.length <= MAX_FREE_TEXT ? parseFreeText(text) : null)
  );
}

function fromEpoch(value: number): string | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const ms = value < 1e11 ? value * 1000 : value; // seconds until 5138, milliseconds after 1973
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

function parseIso(text: string): string | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const offset = m[8] ? zoneOffset(m[8]) : 0;
  if (offset === null) return null;
  return build(+m[1]!, m[2] ? +m[2] : 1, m[3] ? +m[3] : 1, num(m[4]), num(m[5]), num(m[6]), millis(m[7]), offset);
}

function parseRfc822(text: string): string | null {
  const m = RFC822.exec(text);
  if (!m || !weekdaySlotOk(m[1])) return null;
  const month = monthByNameOrPrefix(m[3]!);
  const offset = zoneOffset(m[10]!);
  if (month === null || offset === null) return null;
  return build(fullYear(m[4]!), month, +m[2]!, ...clockTime(m.slice(5, 10)), offset);
}

function parseMonthFirst(text: string): string | null {
  const m = MONTH_FIRST.exec(text);
  if (!m || !weekdaySlotOk(m[1])) return null;
  const month = monthByNameOrPrefix(m[2]!);
  const offset = zoneOffset(m[15]!);
  if (month === null || offset === null) return null;
  // ctime puts the time before the year, "Jan 2, 2006 15:04" after it.
  return build(+m[9]!, month, +m[3]!, ...clockTime(m[4] ? m.slice(4, 9) : m.slice(10, 15)), offset);
}

/** The TIME groups → hour (24-hour clock), minute, second, millisecond; zeros when absent. */
function clockTime([hour, minute, second, fraction, meridiem]: (string | undefined)[]): [
  number,
  number,
  number,
  number,
] {
  return [to24Hour(num(hour), meridiem), num(minute), num(second), millis(fraction)];
}

function to24Hour(hour: number, meridiem: string | undefined): number {
  const half = meridiem?.[0]?.toLowerCase();
  if (half === 'p' && hour < 12) return hour + 12;
  if (half === 'a' && hour === 12) return 0;
  return hour;
}

/** The word before a fixed layout must be a weekday or filler word, not the end of a sentence. */
function weekdaySlotOk(word: string | undefined): boolean {
  return word === undefined || isFillerWord(word);
}

function num(digits: string | undefined): number {
  return digits ? +digits : 0;
}

/** "25" after a decimal point → 250 ms. */
function millis(fraction: string | undefined): number {
  return fraction ? Number(`0.${fraction}`) * 1000 : 0;
}

function fullYear(digits: string): number {
  const year = +digits;
  if (digits.length > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/** Minutes east of UTC for the text after a fixed layout; 0 when empty, null when not a zone. */
function zoneOffset(tail: string): number | null {
  const m = ZONE_TAIL.exec(tail.trim());
  if (!m) return null;
  const [, name, numeric, comment] = m;
  if (numeric) return name && !UTC_NAMES.has(name.toLowerCase()) ? null : numericOffset(numeric);
  if (name) return namedOffset(name);
  // "(PDT)" alone: the comment is the zone.
  if (comment !== undefined) return ZONES.get(comment.trim().toLowerCase()) ?? null;
  return 0;
}

function namedOffset(name: string): number | null {
  const known = ZONES.get(name.toLowerCase()) ?? militaryOffset(name);
  if (known !== null && known !== undefined) return known;
  // An unknown abbreviation ("SGT"): the wall time is right to within a day, so read it as UTC.
  // Capitals only, so that a trailing word ("the", "pm") is not mistaken for a zone.
  return /^[A-Z]{2,5}$/.test(name) && !/^(AM|PM)$/.test(name) ? 0 : null;
}

/** "+0200", "+02:00", "-5" → minutes east of UTC. */
function numericOffset(text: string): number | null {
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const minutes = +m[2]! * 60 + num(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Month is 1–12. Null for impossible dates such as 31 February. */
function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): string | null {
  if (
    year < 1000 ||
    year > 9999 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour > 24 ||
    minute > 59 ||
    second > 60
  )
    return null;
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  // A leap second (":60") is read as the second before it.
  const time =
    Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), Math.round(ms)) - offsetMinutes * 60_000;
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** "12 March 2019 10:30", "March 12, 2019", "12 марта 2019 г.", "12.03.2019 14:05 UTC+3". */
function parseFreeText(text: string): string | null {
  let rest = ` ${text.toLowerCase()} `;
  let [hour, minute, second, ms, offset] = [0, 0, 0, 0, 0];

  const time = FREE_TEXT_TIME.exec(rest);
  // "12.03.2019" looks like a time followed by more digits; leave it to the numeric date.
  if (time && !/^\d{1,2}[.]\d{2}[.]\d{2,4}/.test(rest.slice(time.index + 1))) {
    [hour, minute, second, ms] = clockTime(time.slice(1, 6));
    rest = cut(rest, time.index + 1, time.index + time[0].length);
  }
  const zone = FREE_TEXT_ZONE.exec(rest);
  if (zone) {
    const numeric = zone[2] ?? zone[3];
    const zoneMinutes = numeric ? numericOffset(numeric) : (ZONES.get(zone[1]!) ?? 0);
    if (zoneMinutes === null) return null;
    offset = zoneMinutes;
    rest = cut(rest, zone.index, zone.index + zone[0].length);
  }

  const numeric = FREE_TEXT_NUMERIC.exec(rest);
  if (numeric) {
    // A US month-first slash date ("03/04/2019") is ambiguous: only dotted and year-first forms are read.
    if (numeric[1] && rest.slice(numeric.index).trim()[numeric[1].length] === '/') return null;
    const [year, month, day] = numeric[4]
      ? [Number(numeric[4]), Number(numeric[5]), Number(numeric[6])]
      : [Number(numeric[3]), Number(numeric[2]), Number(numeric[1])];
    rest = cut(rest, numeric.index, numeric.index + numeric[0].length);
    if (words(rest).some((word) => !isFillerWord(word))) return null;
    return build(year, month, day, hour, minute, second, ms, offset);
  }

  const numbers: number[] = [];
  let month: number | null = null;
  for (const word of words(rest)) {
    const monthHere: number | null = month === null ? monthByName(word) : null;
    if (/^\d{1,4}(st|nd|rd|th|er)?$/.test(word)) numbers.push(parseInt(word, 10));
    else if (monthHere !== null) month = monthHere;
    else if (!isFillerWord(word)) return null;
  }
  if (month === null || numbers.length !== 2) return null;
  const yearFirst = numbers[0]! > 31;
  if (yearFirst === numbers[1]! > 31) return null; // "12 5 March" or "2019 2020 March"
  const [year, day] = yearFirst ? [numbers[0]!, numbers[1]!] : [numbers[1]!, numbers[0]!];
  return build(year, month, day, hour, minute, second, ms, offset);
}

function cut(text: string, from: number, to: number): string {
  return `${text.slice(0, from)} ${text.slice(to)}`;
}

function words(text: string): string[] {
  return text
    .split(/[\s,|·]+/)
    .map((word) => word.replace(/[.:]$/, ''))
    .filter(Boolean);
}
