/**
 * The words dates are written with: month names, zone names and the words that may
 * stand around a date without making it something else. One table each, shared by
 * every date form parse-date.ts reads (feeds, pages, front matter, JSON files).
 */

/** Month number (1–12) by lower-case name or abbreviation, in the languages sources use. */
const MONTHS = new Map<string, number>();
const MONTH_WORDS: string[][] = [
  // en, en short, ru genitive, ru nominative, de, fr, es, it, and the short forms hand-made feeds use
  ['january', 'jan', 'января', 'январь', 'januar', 'jänner', 'janvier', 'janv', 'enero', 'gennaio'],
  ['february', 'feb', 'февраля', 'февраль', 'februar', 'février', 'fevrier', 'févr', 'fév', 'febrero', 'febbraio'],
  ['march', 'mar', 'марта', 'март', 'märz', 'maerz', 'mär', 'mrz', 'mars', 'marzo'],
  ['april', 'apr', 'апреля', 'апрель', 'avril', 'avr', 'abril', 'aprile'],
  ['may', 'мая', 'май', 'mai', 'mayo', 'maggio'],
  ['june', 'jun', 'июня', 'июнь', 'juni', 'juin', 'junio', 'giugno'],
  ['july', 'jul', 'июля', 'июль', 'juli', 'juillet', 'juil', 'julio', 'luglio'],
  ['august', 'aug', 'августа', 'август', 'août', 'aout', 'aoû', 'agosto'],
  ['september', 'sep', 'sept', 'сентября', 'сентябрь', 'septembre', 'septiembre', 'settembre'],
  ['october', 'oct', 'октября', 'октябрь', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre'],
  ['november', 'nov', 'ноября', 'ноябрь', 'novembre', 'noviembre'],
  ['december', 'dec', 'декабря', 'декабрь', 'dezember', 'dez', 'décembre', 'decembre', 'déc', 'diciembre', 'dicembre'],
];
MONTH_WORDS.forEach((words, index) => {
  for (const word of words) MONTHS.set(word, index + 1);
});

/** A month named exactly as in the table ("märz", "sept"), or null. */
export function monthByName(word: string): number | null {
  return MONTHS.get(word.toLowerCase()) ?? null;
}

/**
 * Also reads longer spellings by their first three letters ("Janeiro", "Decem"). Only for
 * the month slot of a fixed date layout: in free text that would turn words into months.
 */
export function monthByNameOrPrefix(word: string): number | null {
  const key = word.toLowerCase();
  return MONTHS.get(key) ?? MONTHS.get(key.slice(0, 3)) ?? null;
}

/** Minutes east of UTC by lower-case zone abbreviation. */
export const ZONES: ReadonlyMap<string, number> = new Map(
  Object.entries({
    z: 0,
    ut: 0,
    utc: 0,
    gmt: 0,
    wet: 0,
    bst: 60,
    cet: 60,
    met: 60,
    cest: 120,
    mest: 120,
    eet: 120,
    eest: 180,
    msk: 180,
    ist: 330,
    jst: 540,
    kst: 540,
    aest: 600,
    aedt: 660,
    nzst: 720,
    nzdt: 780,
    est: -300,
    edt: -240,
    cst: -360,
    cdt: -300,
    mst: -420,
    mdt: -360,
    pst: -480,
    pdt: -420,
    akst: -540,
    akdt: -480,
    hst: -600,
  }),
);

/** Zone names that only say "this is UTC" and may carry an offset after them ("GMT+2"). */
export const UTC_NAMES: ReadonlySet<string> = new Set(['utc', 'gmt', 'ut']);

/** RFC 822 military zones, upper case only: A–I = +1..+9, K–M = +10..+12, N–Y = -1..-12. */
export function militaryOffset(letter: string): number | null {
  if (!/^[A-IK-Y]$/.test(letter)) return null;
  const code = letter.charCodeAt(0) - 64; // A = 1
  if (code <= 9) return code * 60;
  if (code <= 13) return (code - 1) * 60;
  return -(code - 13) * 60;
}

/** Weekday names and abbreviations; they may stand before a date in any layout. */
const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
  'понедельник',
  'вторник',
  'среда',
  'четверг',
  'пятница',
  'суббота',
  'воскресенье',
  'пн',
  'вт',
  'ср',
  'чт',
  'пт',
  'сб',
  'вс',
  'montag',
  'dienstag',
  'mittwoch',
  'donnerstag',
  'freitag',
  'samstag',
  'sonntag',
  'mo',
  'di',
  'mi',
  'do',
  'fr',
  'sa',
  'so',
  'lundi',
  'mardi',
  'mercredi',
  'jeudi',
  'vendredi',
  'samedi',
  'dimanche',
  'lun',
  'mar',
  'mer',
  'jeu',
  'ven',
  'sam',
  'dim',
  'lunes',
  'martes',
  'miércoles',
  'jueves',
  'viernes',
  'sábado',
  'domingo',
  'mié',
  'jue',
  'vie',
  'sáb',
  'dom',
  'lunedì',
  'martedì',
  'mercoledì',
  'giovedì',
  'venerdì',
  'sabato',
  'domenica',
  'gio',
  'sab',
];

/** Words that may surround a date in free text without making it something else. */
const FILLER = new Set([
  ...WEEKDAYS,
  'published',
  'updated',
  'posted',
  'date',
  'dated',
  'on',
  'at',
  'last',
  'modified',
  'first',
  'опубликовано',
  'обновлено',
  'дата',
  'публикации',
  'в',
  'г',
  'года',
  'год',
  'veröffentlicht',
  'aktualisiert',
  'am',
  'um',
  'uhr',
  'stand',
  'publié',
  'publie',
  'le',
  'mis',
  'à',
  'a',
  'jour',
  'h',
  'publicado',
  'actualizado',
  'el',
  'de',
  'del',
  'las',
  'pubblicato',
  'il',
  'alle',
  'ore',
]);

export function isFillerWord(word: string): boolean {
  return FILLER.has(word.toLowerCase());
}
