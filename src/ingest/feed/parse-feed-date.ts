/**
 * Feed dates → ISO 8601 UTC, or null when unreadable. Handles RFC 822/1123 as feeds
 * really write it (no weekday, two-digit years, missing seconds, named US zones,
 * military letters, `+01:00`), and ISO 8601 / W3C-DTF (date only, no zone, fractions).
 * A date without a zone is taken as UTC, never as the machine's local time.
 */
const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
  // Non-English abbreviations that show up in hand-made feeds.
  mai: 4, okt: 9, dez: 11, mrz: 2, mär: 2, avr: 3, juin: 5, juil: 6, aoû: 7, déc: 11, fév: 1, janv: 0, févr: 1,
};

const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, ist: 330, cet: 60, met: 60, cest: 120, mest: 120, eet: 120, eest: 180,
  msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, aest: 600, aedt: 660, jst: 540, kst: 540, nzst: 720, nzdt: 780,
};

const ISO =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;

const RFC822 =
  /^(?:[A-Za-z\u00C0-\u017F]{2,12}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z\u00C0-\u017F]{3,9})\.?,?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(.*)$/;

/** "Mon Jan 2 15:04:05 2006 GMT" (ctime) and "Jan 2, 2006 15:04" orders. */
const MONTH_FIRST =
  /^(?:[A-Za-z]{2,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(?:(\d{1,2}):(\d{2})(?::(\d{2}))?\s+)?(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/;

export function parseFeedDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = value.trim().replace(/\s+/g, ' ');
  if (!text) return null;
  return parseIso(text) ?? parseRfc822(text) ?? parseMonthFirst(text);
}

function parseIso(text: string): string | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const offset = m[8] ? zoneOffset(m[8]) : 0;
  if (offset === null) return null;
  return build(+m[1]!, m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, offset, fraction);
}

function parseRfc822(text: string): string | null {
  const m = RFC822.exec(text);
  if (!m) return null;
  const month = monthIndex(m[2]!);
  if (month === null) return null;
  const offset = zoneOffset(m[7]!);
  if (offset === null) return null;
  return build(fullYear(m[3]!), month, +m[1]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, offset, 0);
}

function parseMonthFirst(text: string): string | null {
  const m = MONTH_FIRST.exec(text);
  if (!m) return null;
  const month = monthIndex(m[1]!);
  if (month === null) return null;
  const offset = zoneOffset(m[10]!);
  if (offset === null) return null;
  const hour = m[3] ?? m[7];
  const minute = m[4] ?? m[8];
  const second = m[5] ?? m[9];
  return build(+m[6]!, month, +m[2]!, hour ? +hour : 0, minute ? +minute : 0, second ? +second : 0, offset, 0);
}

function monthIndex(name: string): number | null {
  const key = name.toLowerCase();
  return MONTHS[key] ?? MONTHS[key.slice(0, 3)] ?? null;
}

function fullYear(text: string): number {
  const year = +text;
  if (text.length > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/** Minutes east of UTC, 0 for an empty zone, null for text that is not a zone. */
function zoneOffset(raw: string): number | null {
  const zone = raw.trim().replace(/^\(|\)$/g, '').toLowerCase();
  if (!zone) return 0;
  const numeric = /^(?:gmt|utc)?\s*([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = +numeric[2]! * 60 + (numeric[3] ? +numeric[3] : 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const word = zone.split(/[\s(]/)[0]!;
  if (word in ZONES) return ZONES[word]!;
  // Military single letters (RFC 822): A–I = +1..+9, K–M = +10..+12, N–Y = -1..-12.
  if (/^[a-ik-y]$/.test(word)) {
    const code = word.charCodeAt(0);
    if (code <= 105) return (code - 96) * 60;
    if (code <= 109) return (code - 97) * 60;
    return -(code - 109) * 60;
  }
  // An unknown zone name: the wall time is still right to within a day; take it as UTC.
  return /^[a-z]{2,5}$/.test(word) ? 0 : null;
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, offsetMinutes: number, ms: number): string | null {
  if (year < 1000 || year > 9999 || month < 0 || month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const time = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), Math.round(ms)) - offsetMinutes * 60_000;
  if (!Number.isFinite(time)) return null;
  const check = new Date(Date.UTC(year, month, day));
  if (check.getUTCDate() !== day) return null;
  return new Date(time).toISOString();
}
