/**
 * A shorter form of one sentence that says the same news, so more of it fits in a
 * summary's word budget. Each rule removes one kind of material a reader can do
 * without, and only where what is left is still a grammatical sentence:
 *   - dropAside: a short parenthetical aside ("£546m ($1.04bn)" → "£546m"), never an
 *     acronym being defined ("(WHO)") nor one holding a quote;
 *   - dropOpeningConnective: a discourse adverb that points at a sentence the summary
 *     may not show ("However, the bank…" → "The bank…");
 *   - dropRelativeClause: a non-restrictive who/which clause set off by commas
 *     ("The fund, which opened in 1990, grew." → "The fund grew."), only when the
 *     sentence goes on plainly after it, so a list is never cut in half;
 *   - dropDetail: an age between commas ("Mr Ebbers, 63, is…"), a closing "up from…" or
 *     "compared with…", an opening "Speaking at…," or "In a statement,";
 *   - dropFinalParticiple: a participle clause closing the sentence ("…bought its rival,
 *     creating the biggest group in Wales."), never ", saying…" or ", including…";
 *   - dropSpeechDay: the weekday after a verb of saying ("said on Tuesday" → "said"):
 *     the day something was said is rarely the news; the day something will happen
 *     ("votes on Friday") is kept.
 * Attributions ("…, he said", "according to…") are kept: without them a claim would read
 * as a fact. A sentence holding a quotation is left whole. compressSentence returns the
 * sentence itself when no rule applies or when what is left would be under six words.
 *
 * Why these and not more: the references of the development corpus are whole article
 * sentences, so cutting words from a sentence never makes it match better; a short form
 * only helps when it lets one more good sentence fit (select-sentences.ts decides).
 * Cutting attributions as well was measured and changed the ROUGE-2 ratio by under
 * 0.01, so readability and honesty decide, and they say keep them.
 */

const WEEKDAY = '(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day';
const QUOTE_MARK = /["\u201c\u201d\u00ab\u00bb]/;

// " (...)": up to 8 words, not opening the sentence.
const ASIDE = /\s\(([^()"\u201c\u201d]{1,60})\)(?=[\s,.;:!?])/g;
const ACRONYM = /^\p{Lu}[\p{Lu}\p{N}&-]{1,7}$/u;

/** Removes short parenthetical asides; an acronym being defined ("(WHO)") stays. */
export function dropAside(sentence: string): string {
  return sentence.replace(ASIDE, (whole, inside: string) => {
    const words = inside.trim().split(/\s+/);
    if (words.length > 8 || ACRONYM.test(inside.trim())) return whole;
    return '';
  });
}

const CONNECTIVE =
  /^(?:However|Meanwhile|In addition|Additionally|Moreover|Furthermore|Nevertheless|Nonetheless|Indeed|In fact|Separately|Elsewhere|At the same time),\s+(?=\p{L})/u;
const BARE_CONJUNCTION = /^(?:But|And)\s+(?=\p{L})/u;

/** Removes an opening "However," / "Meanwhile," / "But" and capitalises what follows. */
export function dropOpeningConnective(sentence: string): string {
  const match = CONNECTIVE.exec(sentence) ?? BARE_CONJUNCTION.exec(sentence);
  if (!match) return sentence;
  const rest = sentence.slice(match[0].length);
  // "However, iPhone sales…": a word spelt with a capital inside keeps its case.
  if (/^\p{Ll}+\p{Lu}/u.test(rest)) return sentence;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

// Inside a clause: anything but a clause boundary or a quote; a thousands comma (4,000) is fine.
const CLAUSE_CHAR = '(?:[^,;:()"\\u201c\\u201d]|(?<=\\d),(?=\\d{3}(?!\\d)))';
const SENTENCE_END = `(?=[.!?]["'\\u201d\\u2019)]*$)`;
// ", who/which ... ," in the middle, or ", who/which ..." to the end of the sentence.
const MIDDLE_RELATIVE = new RegExp(`,\\s+(?:who|which)\\s+${CLAUSE_CHAR}{3,80},\\s+(?=(\\p{L}+))`, 'gu');
const FINAL_RELATIVE = new RegExp(`,\\s+(?:who|which|where)\\s+${CLAUSE_CHAR}{3,120}?${SENTENCE_END}`, 'u');
// After a mid-sentence clause, what follows must carry on the main clause (a verb, an
// adverb), not continue a list the clause was part of: "…in London, Paris and Rome, …".
// So the word after it must look like the main clause's verb or an adverb.
const MAIN_VERB =
  /^(?:is|was|are|were|has|had|have|will|would|can|could|may|might|must|should|shall|did|does|do|also|now|still|then|already|said|told|made|took|won|lost|left|came|went|got|gave|saw|became|began|held|paid|sold|bought|rose|fell|grew|hit|put|set|cut|ran|met|led|kept|brought|thought|found|\p{Ll}{2,}ed|\p{Ll}{3,}ly|\p{Ll}{2,}[^s\P{Ll}]s)$/u;
const NOT_A_VERB =
  /^(?:this|thus|less|across|towards|afterwards|perhaps|unless|plus|various|previous|its|his|hers|ours|yours|theirs|besides|news|series|hundreds|thousands|millions|billions|us|bus|gas)$/;

/** Removes non-restrictive who/which clauses set off by commas. */
export function dropRelativeClause(sentence: string): string {
  let out = sentence.replace(MIDDLE_RELATIVE, (whole, next: string, at: number, text: string) => {
    if (!MAIN_VERB.test(next) || NOT_A_VERB.test(next)) return whole;
    // "Mrs Hassan, 59, who led…, was…": the age's closing comma stays.
    return /,\s*\d{1,3}$/.test(text.slice(Math.max(0, at - 8), at)) ? ', ' : ' ';
  });
  out = out.replace(FINAL_RELATIVE, '');
  return out;
}

// ", creating a giant big enough to…": a participle clause closing the sentence adds a
// consequence or detail; the main clause is the news. Not an attribution or what was
// said (", according to…", ", saying profits will fall"), not ", including <names>"
// (the names may be the news), and not words that only look like participles.
const KEPT_ING =
  'according|including|saying|adding|warning|claiming|arguing|insisting|noting|stating|suggesting|accusing|calling|urging|telling|asking|' +
  'leading|during|nothing|something|anything|everything|morning|evening|spring|string|bring|thing';
const FINAL_PARTICIPLE = new RegExp(
  `,\\s+(?!(?:${KEPT_ING})\\b)\\p{Ll}{2,}ing\\s+${CLAUSE_CHAR}{3,120}?${SENTENCE_END}`,
  'u',
);

/**
 * Removes a participle clause ("…, creating a giant.") that closes the sentence. Not
 * when the "clause" could be an item of a list ("bad weather, rising costs and a weak
 * economy hit sales": it holds "and" or "or") nor when what is left is too short to be a
 * main clause ("As a result, living standards could fall.").
 */
export function dropFinalParticiple(sentence: string): string {
  const match = FINAL_PARTICIPLE.exec(sentence);
  // "…, leading researchers have said.": an attribution that merely looks like a clause.
  if (!match || /\b(?:and|or|said|says|say|told|reported|added|warned)\b/.test(match[0])) return sentence;
  const kept = sentence.slice(0, match.index);
  if (kept.split(/\s+/).length < 6) return sentence;
  return kept + sentence.slice(match.index + match[0].length);
}

const SPEECH_DAY = new RegExp(
  `\\b(said|says|announced|confirmed|revealed|told [^,.;"]{1,40}?|warned|added|reported)\\s+on\\s+${WEEKDAY}\\b`,
  'g',
);
/**
 * Removes the weekday after a verb of saying ("said on Friday that…" → "said that…").
 * A weekday anywhere else stays: "On Saturday, it will compete…" tells when it happens.
 */
export function dropSpeechDay(sentence: string): string {
  return sentence.replace(SPEECH_DAY, '$1');
}

// "Mr Ebbers, 63, is accused…": an age between commas.
const AGE = /,\s+\d{1,3},\s+(?=\p{Ll})(?!who\b|which\b)/gu;
// "…to £5m, up from £3m a year earlier.": the comparison closing a figure.
const FINAL_COMPARISON = new RegExp(
  `,\\s+(?:(?:up|down)\\s+from|compared\\s+(?:with|to))\\s+${CLAUSE_CHAR}{2,60}?${SENTENCE_END}`,
  'u',
);
// "Speaking at a conference in Leeds, Mr Brown said…", "In a statement, the firm said…".
const SETTING =
  /^(?:(?:Speaking|Writing)\s+(?:at|to|on|in|after|before|during|from)\s+[^,;:"\u201c\u201d]{3,80}|In a (?:statement|letter|report|blog post|interview)(?:\s+[^,;:"\u201c\u201d]{1,40})?),\s+(?=\p{L})/u;

/**
 * Removes an age between commas, a closing "up from…" / "compared with…", and an
 * opening "Speaking at…," or "In a statement,". The speaker and the figure stay.
 */
export function dropDetail(sentence: string): string {
  let out = sentence.replace(AGE, ' ').replace(FINAL_COMPARISON, '');
  const setting = SETTING.exec(out);
  if (setting) {
    const rest = out.slice(setting[0].length);
    if (!/^\p{Ll}+\p{Lu}/u.test(rest)) out = rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return out;
}

const MIN_WORDS = 6;
// In this order: a relative clause goes before the age it follows ("X, 59, who…, was").
const RULES = [dropAside, dropOpeningConnective, dropRelativeClause, dropDetail, dropFinalParticiple, dropSpeechDay];

/** The sentence with every rule applied, or the sentence itself when nothing safe is left. */
export function compressSentence(sentence: string): string {
  if (QUOTE_MARK.test(sentence)) return sentence; // a quotation is the speaker's words: untouched
  const out = RULES.reduce((text, rule) => rule(text), sentence)
    .replace(/\s{2,}/g, ' ')
    .trim();
  if (out.split(/\s+/).length < MIN_WORDS || !/[.!?]["'\u201d\u2019)]*$/.test(out)) return sentence;
  return out;
}
