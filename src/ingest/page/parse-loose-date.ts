/**
 * Turns the dates that pages, dumps, front matter and JSON files carry into ISO 8601
 * UTC. Deterministic: a date without a zone is read as UTC, never as the machine's
 * local time. Strict on purpose: anything left over that is not part of a date makes
 * the whole string "not a date", so a sentence that merely mentions a date is not one.
 */
const MONTHS: Record<string, number> = {};
const MONTH_WORDS: string[][] = [
  // en, en short, ru genitive, ru nominative, de, fr, es, it
  ['january', 'jan', 'января', 'январь', 'januar', 'janvier', 'enero', 'gennaio', 'jänner'],
  ['february', 'feb', 'февраля', 'февраль', 'februar', 'février', 'fevrier', 'febrero', 'febbraio'],
  ['march', 'mar', 'марта', 'март', 'märz', 'maerz', 'mars', 'marzo'],
  ['april', 'apr', 'апреля', 'апрель', 'avril', 'abril', 'aprile'],
  ['may', 'мая', 'май', 'mai', 'mayo', 'maggio'],
  ['june', 'jun', 'июня', 'июнь', 'juni', 'juin', 'junio', 'giugno'],
  ['july', 'jul', 'июля', 'июль', 'juli', 'juillet', 'julio', 'luglio'],
  ['august', 'aug', 'августа', 'август', 'août', 'aout', 'agosto'],
  ['september', 'sep', 'sept', 'сентября', 'сентябрь', 'septembre', 'septiembre', 'settembre'],
  ['october', 'oct', 'октября', 'октябрь', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre'],
  ['november', 'nov', 'ноября', 'ноябрь', 'novembre', 'noviembre'],
  ['december', 'dec', 'декабря', 'декабрь', 'dezember', 'dez', 'décembre', 'decembre', 'diciembre', 'dicembre'],
];
MONTH_WORDS.forEach((words, index) => words.forEach((word) => (MONTHS[word] = index + 1)));

/** Words that may surround a date without making it something else. */
const FILLER = new Set([
  'published', 'updated', 'posted', 'date', 'dated', 'on', 'at', 'last', 'modified', 'first',
  'опубликовано', 'обновлено', 'дата', 'публикации', 'в', 'г', 'года', 'год',
  'veröffentlicht', 'aktualisiert', 'am', 'um', 'uhr', 'stand',
  'publié', 'publie', 'le', 'mis', 'à', 'a', 'jour', 'h',
  'publicado', 'actualizado', 'el', 'de', 'del', 'las', 'pubblicato', 'il', 'alle', 'ore',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun',
  'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье',
  'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag',
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
  'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo',
]);

const NAMED_ZONES: Record<string, number> = {
  msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  bst: 60, cet: 60, cest: 120,
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const EXPLICIT_ZONE = /(?:\b(?:GMT|UTC|UT|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT)\b|[+-]\d{4}\b|[+-]\d{2}:\d{2}\b)/;

export function parseLooseDate(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return fromEpoch(raw);
  const text = raw.replace(/[\s\u00a0]+/g, ' ').trim();
  if (!text || text.length > 80) return null;
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = iso;
    return build(+y!, +mo!, +d!, +h, +mi, +s, Math.round(Number(frac || 0) * 1000), zoneOffsetMinutes(zone));
  }
  return parseWords(text) ?? parseWithZone(text);
}

function fromEpoch(value: number): string | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const ms = value < 1e11 ? value * 1000 : value;
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** RFC 2822 and other forms the engine knows, but only when the zone is explicit. */
function parseWithZone(text: string): string | null {
  if (!EXPLICIT_ZONE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt|ut)$/i.test(zone)) return 0;
  const match = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): string | null {
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return null; // 31 February and the like
  return new Date(utc).toISOString();
}

/** "12 March 2019 10:30", "March 12, 2019", "12 марта 2019 г.", "12.03.2019 14:05 UTC+3". */
function parseWords(text: string): string | null {
  let rest = ` ${text.toLowerCase()} `;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let offset = 0;

  const time = /[\s,|·—–-](\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=[\s,)|])/i.exec(rest);
  if (time && !/^\d{1,2}[.]\d{2}[.]\d{2,4}/.test(rest.slice(time.index + 1))) {
    hour = Number(time[1]);
    minute = Number(time[2]);
    second = Number(time[3] ?? 0);
    const meridiem = time[4]?.replace(/\./g, '');
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
    rest = rest.slice(0, time.index + 1) + ' ' + rest.slice(time.index + time[0].length);
  }
  const zone = /\b(gmt|utc|ut|msk|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest)\b\s*([+-]\d{1,2}(?::?\d{2})?)?|\s([+-]\d{2}:?\d{2})(?=\s)/.exec(rest);
  if (zone) {
    const named = zone[1] ? (NAMED_ZONES[zone[1]] ?? 0) : 0;
    offset = zone[2] ? zoneOffsetMinutes(zone[2]) : zone[3] ? zoneOffsetMinutes(zone[3]) : named;
    rest = rest.slice(0, zone.index) + ' ' + rest.slice(zone.index + zone[0].length);
  }

  const numeric = /(?:^|\s)(\d{1,2})[./](\d{1,2})[./](\d{4})(?=\s|,|$)|(?:^|\s)(\d{4})[./](\d{1,2})[./](\d{1,2})(?=\s|,|$)/.exec(rest);
  let year: number;
  let month: number;
  let day: number;
  if (numeric) {
    // Day first: the dotted form is European; a US month-first slash date is ambiguous, so
    // only dotted dates and year-first forms are read.
    if (numeric[1] && rest.slice(numeric.index).trim()[numeric[1].length] === '/') return null;
    [year, month, day] = numeric[4]
      ? [Number(numeric[4]), Number(numeric[5]), Number(numeric[6])]
      : [Number(numeric[3]), Number(numeric[2]), Number(numeric[1])];
    rest = rest.slice(0, numeric.index) + ' ' + rest.slice(numeric.index + numeric[0].length);
    if (leftover(rest)) return null;
  } else {
    const tokens = rest.split(/[\s,|·]+/).map((token) => token.replace(/[.:]$/, '')).filter(Boolean);
    const numbers: number[] = [];
    let monthIndex = -1;
    const order: string[] = [];
    for (const token of tokens) {
      if (/^\d{1,4}(st|nd|rd|th|er)?$/.test(token)) {
        numbers.push(parseInt(token, 10));
        order.push('n');
      } else if (MONTHS[token] !== undefined && monthIndex < 0) {
        monthIndex = MONTHS[token]!;
        order.push('m');
      } else if (!FILLER.has(token)) {
        return null;
      }
    }
    if (monthIndex < 0 || numbers.length !== 2) return null;
    const yearFirst = numbers[0]! > 31;
    const yearLast = numbers[1]! > 31;
    if (yearFirst === yearLast) return null;
    [year, day] = yearFirst ? [numbers[0]!, numbers[1]!] : [numbers[1]!, numbers[0]!];
    month = monthIndex;
  }
  return build(year, month, day, hour, minute, second, 0, offset);
}

function leftover(rest: string): boolean {
  return rest
    .split(/[\s,|·]+/)
    .map((token) => token.replace(/[.:]$/, ''))
    .some((token) => token && !FILLER.has(token));
}
