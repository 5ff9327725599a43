import { splitSentences } from './split-sentences.ts';
import { countWords } from './text-tokens.ts';

/**
 * The sentences of an article that may appear in a summary, in article order.
 *
 * `Article.text` holds paragraphs separated by blank lines. Whole paragraphs are
 * dropped when they are a heading (short and without terminal punctuation), a byline,
 * a dateline or date alone, or a photo credit; single sentences are dropped when they
 * are a credit, a call to action ("Read more", "Click here", "Subscribe"...), a
 * fragment of fewer than four words, a lead-in to a list (ending with a colon), or a list
 * of names (a team line-up).
 */
export interface CandidateSentence {
  text: string;
  /** Position among all kept sentences, 0-based. */
  index: number;
  paragraph: number;
  words: number;
}

const TERMINAL = /[.!?\u2026\u3002\uff01\uff1f]["'\u201d\u2019\u00bb)\]]*$/;
// "By Jane Harlow, Transport Correspondent": a name of capitalised words, then an optional role.
const BYLINE =
  /^(?:[Bb]y|BY|[Ww]ords by|[Rr]eporting by|[Ww]ritten by|[Vv]on|[Pp]ar|[Pp]or|[Оо]т)\s+\p{Lu}[\p{L}.'\u2019-]*(?:\s+(?:\p{Lu}[\p{L}.'\u2019-]*|and|&|de|van|von|der|la))*\s*(?:(?:[,|\u2013\u2014]|\s-)\s*.*)?$/u;
const CREDIT =
  /^(?:photo|photos|image|images|picture|pictures|photograph|credit|caption|source|illustration|video)\s*(?:credit)?\s*[:\-\u2013\u2014|]|image (?:copyright|caption)|media caption|\((?:getty|reuters|ap|afp|pa|epa|bloomberg|shutterstock|alamy)(?: images| photo| media)?\)|\b(?:getty images|shutterstock|alamy|ap photo|afp photo|reuters\/[a-z]+)\s*$/i;
const CALL_TO_ACTION =
  /^(?:read more|read the full|click here|subscribe|sign up|follow us|follow @|share this|advertisement|related:|related articles|more on this|continue reading|listen to|watch:|download the)(?![a-z])|\b(?:click here|subscribe (?:now|to our|today)|sign up (?:for|to) our)\b/i;
const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DATE_ONLY = new RegExp(
  `^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\\s*)?(?:${MONTH}\\s+\\d{1,2},?\\s*\\d{0,4}|\\d{1,2}\\s+${MONTH},?\\s*\\d{0,4}|\\d{4}-\\d{2}-\\d{2})(?:[,\\s]+\\d{1,2}[:.]\\d{2}\\s*(?:am|pm|[a-z]{2,4})?)?[.\\s]*$`,
  'i',
);
// "LONDON (Reuters) -" or "WASHINGTON —" on a line by itself.
const DATELINE_ONLY = /^[\p{Lu}][\p{Lu} .,'-]{1,40}(?:\s*\([^)]{1,30}\))?\s*[-\u2013\u2014:]?\s*$/u;

export function isHeading(paragraph: string): boolean {
  return countWords(paragraph) <= 15 && !TERMINAL.test(paragraph.trim());
}

export function isBoilerplateParagraph(paragraph: string): boolean {
  const flat = paragraph.trim();
  const words = countWords(flat);
  if (isHeading(flat)) return true;
  if (words <= 12 && BYLINE.test(flat)) return true;
  if (DATE_ONLY.test(flat) || DATELINE_ONLY.test(flat)) return true;
  // The sentence rules, except the lead-in to a list: a paragraph whose last sentence
  // ends with a colon ("Main points of the plan:") loses only that sentence.
  return CREDIT.test(flat) || CALL_TO_ACTION.test(flat) || words < 4 || isNameList(flat);
}

export function isBoilerplateSentence(sentence: string): boolean {
  if (CREDIT.test(sentence) || CALL_TO_ACTION.test(sentence)) return true;
  if (countWords(sentence) < 4) return true;
  return /:\s*$/.test(sentence) || isNameList(sentence);
}

/**
 * A list of names rather than a sentence: a team line-up ("Hanley; Mayor, Payne; Day,
 * Schofield.") or "Replacements: Fortey, Murphy, Daly…". At least four list separators
 * and almost no lower-case words (a real sentence has verbs and articles).
 */
export function isNameList(sentence: string): boolean {
  const separators = sentence.match(/[;,]/g)?.length ?? 0;
  if (separators < 4) return false;
  const words = sentence.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const lower = words.filter(
    (w) => /^[("']?\p{Ll}/u.test(w) && !/^(?:and|capt|c|v|vs)\b/.test(w.replace(/^[("']/, '')),
  );
  return lower.length <= Math.max(1, words.length * 0.15);
}

/** The article's paragraphs without headings, bylines, datelines and credits. */
export function bodyParagraphs(text: string): string[] {
  return text
    .split(/\n[ \t\r]*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p && !isBoilerplateParagraph(p));
}

export function articleSentences(text: string): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  const paragraphs = text.split(/\n[ \t\r]*\n/);
  for (let p = 0; p < paragraphs.length; p++) {
    const paragraph = paragraphs[p]!.replace(/\s+/g, ' ').trim();
    if (!paragraph || isBoilerplateParagraph(paragraph)) continue;
    for (const sentence of splitSentences(paragraph)) {
      if (isBoilerplateSentence(sentence)) continue;
      out.push({ text: sentence, index: out.length, paragraph: p, words: countWords(sentence) });
    }
  }
  return out;
}
