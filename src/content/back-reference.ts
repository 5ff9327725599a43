/**
 * Sentences that lean on the one before them. "He said the budget was agreed." or
 * "The company denies it." make sense only after the sentence that names him or the
 * company; shown alone in a summary they point at someone the reader has not met.
 *
 * A sentence leans when its opening, or the subject of its main clause after a short
 * introductory phrase ("On Tuesday, she…", "But they…"), is
 *   - a pronoun or demonstrative: he, she, it, they, this, these, that, those, his, her,
 *     its, their, him, them, such, both, neither, either (as the subject);
 *   - a definite back-reference: "the company", "the firm", "the minister", "the
 *     25-year-old", "the former", "the pair", "the move"… (nouns that only ever refer to
 *     something already named).
 *   - an opening phrase that ends in one ("Despite this, …", "Because of that, …");
 *   - a quotation whose speaker is a pronoun (`"We are ready," she said.`).
 * The rule (isSelfContained): a summary never includes a leaning sentence without the
 * sentence before it.
 */

const PRONOUN =
  "(?:he|she|it|they|this|these|those|that|his|her|its|their|him|them|such|both|neither|either|it(?:'|\u2019)s|they(?:'|\u2019)(?:re|ve|ll|d)|he(?:'|\u2019)s|she(?:'|\u2019)s)";

// Nouns that, after "the", refer back to something already named in the article.
const BACK_NOUN =
  '(?:company|companies|firm|firms|group|business|carrier|airline|retailer|bank|lender|insurer|' +
  'club|team|side|squad|player|striker|midfielder|defender|goalkeeper|coach|manager|champion|' +
  'minister|official|officials|spokesman|spokeswoman|spokesperson|chairman|chairwoman|chief|boss|' +
  'man|woman|men|women|boy|girl|couple|pair|duo|trio|two|three|latter|same|' +
  'star|actor|actress|singer|band|film|movie|album|song|show|series|book|novel|' +
  'move|deal|decision|plan|plans|proposal|proposals|scheme|measure|measures|bill|change|changes|' +
  'report|study|survey|figures|findings|case|incident|attack|suspect|victim|victims|claim|claims|' +
  'device|product|service|system|software|game|site|website|technology|project|programme|program)';

const DEFINITE = `the\\s+(?:${BACK_NOUN}|\\d+-year-old)`;
// Connectives that may stand before the subject without changing what it refers to.
const CONNECTIVE =
  '(?:(?:and|but|so|yet|or|also|however|meanwhile|still|instead|then|now|later|indeed|moreover|furthermore)\\b,?\\s+)*';
const OPENERS = /^["'\u201c\u2018(\u00ab]+/;
// "Despite this, …", "Because of that, …", "After it, …": an opening phrase pointing back.
const INTRO_ENDING_IN_PRONOUN = /^[^,;:]{0,40}?\b(?:this|that|these|those|it|them)\s*,/i;
// `"We are ready," she said.`: the speaker of the main clause is a pronoun.
const PRONOUN_SPEAKER =
  /["\u201d\u2019],?\s+(?:he|she|they|it)\s+(?:said|says|added|adds|told|tells|insisted|argued|warned|explained|claimed|wrote|continued|went on)\b/i;

const LEANING_START = new RegExp(`^${CONNECTIVE}(?:${PRONOUN}|${DEFINITE})(?![\\p{L}\\p{N}-])`, 'iu');
// "On Tuesday, she said…": a short introductory phrase (up to 8 words) ending in a comma.
const INTRO_THEN_SUBJECT = new RegExp(`^[^,;:]{1,60}?,\\s+(?:${PRONOUN}|${DEFINITE})\\s+(?!of\\b)\\p{L}`, 'iu');

/** The sentence opens with, or has as its subject, a pronoun or a definite back-reference. */
export function leansOnPrevious(sentence: string): boolean {
  const text = sentence.trim().replace(OPENERS, '');
  if (LEANING_START.test(text)) return !startsWithDummyIt(text);
  if (PRONOUN_SPEAKER.test(text)) return true;
  const phrase = INTRO_ENDING_IN_PRONOUN.exec(text);
  if (phrase && phrase[0].split(/\s+/).length <= 6) return true;
  const intro = INTRO_THEN_SUBJECT.exec(text);
  return (
    intro !== null && intro[0].split(/\s+/).length <= 10 && !startsWithDummyIt(text.slice(text.indexOf(',') + 1).trim())
  );
}

// "It is expected that…", "It was not clear whether…": "it" as a grammatical placeholder
// refers to nothing earlier, so the sentence stands alone.
const DUMMY_IT =
  /^(?:it\s+(?:is|was|has been|had been|will be|would be|remains|seems|seemed|appears|appeared)\s+(?:not\s+)?(?:expected|likely|unlikely|thought|believed|understood|estimated|feared|hoped|clear|unclear|possible|impossible|important|hard|difficult|easy|too early|time|the first|now|still|also|reported|said|claimed|alleged)\b|it\s+(?:emerged|follows|comes as|came as|comes after|came after|comes amid|came amid))/i;

function startsWithDummyIt(text: string): boolean {
  return DUMMY_IT.test(text.replace(new RegExp(`^${CONNECTIVE}`, 'i'), ''));
}

/**
 * True when every leaning sentence in the set has its predecessor in the set too.
 * `indices` are positions in the article's sentence list; `leans(i)` says whether
 * sentence i leans on sentence i - 1. Sentence 0 has nothing before it to lean on.
 */
export function isSelfContained(indices: readonly number[], leans: (index: number) => boolean): boolean {
  const chosen = new Set(indices);
  for (const i of indices) if (i > 0 && leans(i) && !chosen.has(i - 1)) return false;
  return true;
}
