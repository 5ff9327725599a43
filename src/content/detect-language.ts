import { ENGLISH_STOP_WORDS, wordTokens } from './text-tokens.ts';

/**
 * A cheap language check for choosing the summarizer path: is this text English?
 * Two signals, both robust on a paragraph or more: the share of Latin letters among
 * all letters (Cyrillic, Greek, CJK, Arabic fail it) and the share of English function
 * words among word tokens (German, French, Spanish fail it: their common words are
 * different). Returns null when the text is too short to say.
 */
const LATIN_LETTER = /[A-Za-z\u00c0-\u024f]/;
const ANY_LETTER = /\p{L}/u;
const CORE_FUNCTION_WORDS = new Set([
  'the',
  'of',
  'and',
  'to',
  'in',
  'is',
  'was',
  'that',
  'for',
  'it',
  'on',
  'with',
  'as',
  'are',
  'be',
  'by',
  'at',
  'from',
  'has',
  'have',
  'he',
  'she',
  'they',
  'this',
  'which',
  'but',
  'not',
  'an',
  'a',
  'its',
  'their',
  'were',
  'had',
  'will',
  'would',
  'said',
  'been',
  'who',
  'or',
]);

export function looksEnglish(text: string, sample = 2000): boolean | null {
  const head = text.slice(0, sample);
  let latin = 0;
  let letters = 0;
  for (const ch of head) {
    if (!ANY_LETTER.test(ch)) continue;
    letters += 1;
    if (LATIN_LETTER.test(ch)) latin += 1;
  }
  if (letters < 20) return null;
  if (latin / letters < 0.6) return false;
  const tokens = wordTokens(head);
  if (tokens.length < 6) return null;
  let functionWords = 0;
  for (const token of tokens) if (CORE_FUNCTION_WORDS.has(token)) functionWords += 1;
  // English prose runs at 30-45% of these words; German or French prose at 0-5%.
  return functionWords / tokens.length >= 0.12;
}

/** True unless the declared language or the text says the article is not English. */
export function isEnglishArticle(language: string | null, text: string): boolean {
  if (language && !/^en\b/i.test(language.trim())) return false;
  return looksEnglish(text) !== false;
}

export { ENGLISH_STOP_WORDS };
