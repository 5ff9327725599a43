import { bodyParagraphs } from './article-sentences.ts';
import { looksEnglish } from './detect-language.ts';
import { countWords, foldAccents } from './text-tokens.ts';

/**
 * When is a source's own description a real summary we may use instead of ours?
 * All of these must hold (documented in docs/summaries.md):
 *   1. It is not HTML junk: no tags, no entities, no bare URL-only text, no "[…]"
 *      or "Read more"/"Continue reading" tails, no "The post … appeared first on …".
 *   2. It is not truncated: it does not end with "…", "...", "[…]" or "[...]".
 *   3. It is not a copy of the article's start: after folding case, accents,
 *      punctuation and spaces, neither the article text nor the text after its byline,
 *      dateline and credit paragraphs begins with it (a description
 *      equal to the first sentence or paragraph is the lead, not a summary).
 *   4. Its length is between `MIN_WORDS` (12) and 1.3 × maxWords words.
 *   5. It is in the article's language: the English check (detect-language.ts) gives
 *      the same answer for the description and for the article text.
 */
export const MIN_DESCRIPTION_WORDS = 12;
export const DESCRIPTION_SLACK = 1.3;

const HTML_JUNK =
  /<\/?[a-z][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);|appeared first on|continue reading|read more|\[\s*(?:…|\.\.\.)\s*\]/i;
const TRUNCATED = /(?:…|\.\.\.|\[\s*(?:…|\.\.\.)\s*\])\s*$/;
const ONLY_URL = /^\s*https?:\/\/\S+\s*$/i;

function fingerprint(text: string): string {
  return foldAccents(text.toLowerCase()).replace(/[^\p{L}\p{N}]+/gu, '');
}

export function isUsableDescription(
  description: string | null,
  article: { text: string; title: string },
  maxWords: number,
): description is string {
  if (!description) return false;
  const trimmed = description.trim();
  if (!trimmed || ONLY_URL.test(trimmed) || HTML_JUNK.test(trimmed) || TRUNCATED.test(trimmed)) return false;
  const words = countWords(trimmed);
  if (words < MIN_DESCRIPTION_WORDS || words > maxWords * DESCRIPTION_SLACK) return false;
  const print = fingerprint(trimmed);
  if (!print) return false;
  // Compare with the raw start and with the start after bylines, datelines and credits.
  const window = trimmed.length * 2 + 200;
  const body = bodyParagraphs(article.text.slice(0, window * 2)).join(' ');
  for (const start of [article.text.slice(0, window), body.slice(0, window)]) {
    if (fingerprint(start).startsWith(print)) return false;
  }
  const articleEnglish = looksEnglish(article.text);
  const descriptionEnglish = looksEnglish(trimmed);
  if (articleEnglish !== null && descriptionEnglish !== null && articleEnglish !== descriptionEnglish) return false;
  return true;
}
