/**
 * Which sentence states the news. A summary opens with the article's lead sentence, as
 * an editor would, unless that sentence is one of four kinds that tell the reader
 * nothing on their own; then the first sentence that is none of them opens instead.
 * Each kind is a pure predicate on one sentence's text so it can be tested alone.
 */

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const WEEKDAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const DATE = `(?:${WEEKDAY},?\\s*)?(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?(?:\\s*\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?(?:\\s*\\d{4})?|\\d{4}-\\d{2}-\\d{2}|${WEEKDAY})`;
const TIME = '(?:\\d{1,2}[:.]\\d{2}\\s*(?:am|pm)?(?:\\s*[a-z]{2,4})?|\\d{1,2}\\s*(?:am|pm))';
// "Published 3 March 2024, 10:15 GMT." / "Last updated: Monday." / "Posted on March 3, 2024 at 9 am."
const STAMP = new RegExp(
  `^(?:(?:last\\s+)?(?:updated|published|posted|first published|modified)(?:\\s+on)?:?\\s*)?(?:${DATE}|${TIME})(?:[,\\s]+(?:at\\s+)?(?:${DATE}|${TIME}))*[.\\s]*$`,
  'i',
);
// "LONDON (Reuters) -", "WASHINGTON, March 3 (AP) —", "PARIS, 3 March:": a place in
// capitals (matched without the i flag, which would let \p{Lu} match any letter), then
// optionally a region, a date and an agency, then a dash or colon, and nothing after it.
const PLACE = /^\p{Lu}[\p{Lu} .'-]{1,40}/u;
const AFTER_PLACE = new RegExp(
  `^(?:,\\s*\\p{Lu}[\\p{L} .'-]{1,30}?)?(?:,\\s*${DATE})?(?:\\s*\\([^)]{1,30}\\))?\\s*[-\\u2013\\u2014:]?\\s*$`,
  'iu',
);

/** A sentence that is only a dateline, a date, a time or a publication stamp. */
export function isDateline(sentence: string): boolean {
  const text = sentence.trim();
  if (STAMP.test(text)) return true;
  const place = PLACE.exec(text);
  return place !== null && /^\p{Lu}{2}/u.test(text) && AFTER_PLACE.test(text.slice(place[0].length));
}

const CLOSERS = /["'\u201d\u2019\u00bb)\]]*$/;

/** A sentence that asks rather than tells ("Is this the end of the high street?"). */
export function isQuestion(sentence: string): boolean {
  return /\?$/.test(sentence.trim().replace(CLOSERS, ''));
}

const OPENING_QUOTE = /^["\u201c\u2018\u00ab']/;
const CLOSING_QUOTE = /["\u201d\u2019\u00bb]/g;

/**
 * A sentence that is a quotation with at most a short attribution: `"We are ready,"
 * she said.` or `"Nobody expected this."` Who is speaking and why comes later, so it
 * cannot open a summary. A sentence that merely contains a quote is not bare.
 */
export function isBareQuote(sentence: string): boolean {
  const text = sentence.trim();
  if (!OPENING_QUOTE.test(text)) return false;
  // Everything after the last closing quote is the attribution; bare when it is short.
  let lastClose = -1;
  for (const match of text.slice(1).matchAll(CLOSING_QUOTE)) lastClose = match.index + 1;
  if (lastClose < 0) return true; // the quote runs to the end (or on into the next sentence)
  const attribution = text.slice(lastClose + 1).trim();
  return attribution.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length <= 6;
}

// Openings that tease instead of telling: addressing the reader, promising to explain,
// setting a scene. Matched at the start, case-insensitively.
const TEASER_OPENING = new RegExp(
  `^(?:${[
    'ever (?:wondered|thought|wanted|heard)',
    'have you ever',
    'did you know',
    'imagine\\b',
    'picture (?:this|the scene)',
    'meet (?:the|a)\\b',
    "here(?:'|\u2019)?s (?:what|why|how|everything|the)",
    'here (?:is|are) (?:what|why|how|everything|the)',
    '(?:this|that) is (?:what|why|how) ',
    '(?:what|everything) you (?:need|want) to know',
    "you (?:won(?:'|\u2019)t|will not|may not|might not) believe",
    "it(?:'|\u2019)s (?:that time of (?:the )?year|been a)",
    'find out (?:what|why|how)',
    'read on',
    'sound familiar',
    'spoiler alert',
    'once upon a time',
    'it was (?:a|the) (?:night|day|week|year|moment) (?:to remember|like no other)',
  ].join('|')})`,
  'i',
);

/** A sentence that teases the story instead of telling it, or trails off ("…"). */
export function isTeaser(sentence: string): boolean {
  const text = sentence.trim().replace(/^["\u201c\u2018(]+/, '');
  if (TEASER_OPENING.test(text)) return true;
  return /(?:\u2026|\.\.\.)["'\u201d\u2019]?$/.test(text);
}

/** None of the four: this sentence can state the news. */
export function canStateNews(sentence: string): boolean {
  return !isDateline(sentence) && !isQuestion(sentence) && !isBareQuote(sentence) && !isTeaser(sentence);
}

/**
 * The position of the sentence that states the news: the first that can, and (after
 * the first) does not lean on the sentence before it (`leansOnPrevious`, passed in so
 * this module stays independent of the back-reference rules). -1 when none can.
 */
export function newsLeadIndex(sentences: readonly string[], leansOnPrevious: (sentence: string) => boolean): number {
  for (let i = 0; i < sentences.length; i++) {
    const text = sentences[i]!;
    if (canStateNews(text) && (i === 0 || !leansOnPrevious(text))) return i;
  }
  return -1;
}
