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
 *   - dropSpeechDay: the weekday after a verb of saying ("said on Tuesday" → "said"):
 *     the day something was said is rarely the news; the day something will happen
 *     ("votes on Friday") is kept.
 * Attributions ("…, he said") are kept: without them a claim would read as a fact.
 * Quotations are never changed inside. compressSentence returns the sentence itself
 * when no rule applies or when the result would be too short to stand alone.
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

// ", who/which ... ," in the middle, or ", who/which ..." to the end of the sentence.
const MIDDLE_RELATIVE = /,\s+(?:who|which)\s+[^,;:()"\u201c\u201d]{3,80},\s+(?=(\p{L}+))/gu;
const FINAL_RELATIVE = /,\s+(?:who|which)\s+[^,;:()"\u201c\u201d]{3,120}?(?=[.!?]["'\u201d\u2019)]*$)/u;
// After a mid-sentence clause, what follows must carry on the main clause (a verb, an
// adverb), not continue a list the clause was part of: "…in London, Paris and Rome, …".
// So the word after it must look like the main clause's verb or an adverb.
const MAIN_VERB =
  /^(?:is|was|are|were|has|had|have|will|would|can|could|may|might|must|should|shall|did|does|do|also|now|still|then|already|said|told|made|took|won|lost|left|came|went|got|gave|saw|became|began|held|paid|sold|bought|rose|fell|grew|hit|put|set|cut|ran|met|led|kept|brought|thought|found|\p{Ll}{2,}ed|\p{Ll}{3,}ly|\p{Ll}{2,}[^s\P{Ll}]s)$/u;
const NOT_A_VERB = /^(?:this|thus|less|across|towards|afterwards|perhaps|unless|plus|various|previous|its|his|hers|ours|yours|theirs|besides|news|series|hundreds|thousands|millions|billions|us|bus|gas)$/;

/** Removes non-restrictive who/which clauses set off by commas. */
export function dropRelativeClause(sentence: string): string {
  let out = sentence.replace(MIDDLE_RELATIVE, (whole, next: string) => (MAIN_VERB.test(next) && !NOT_A_VERB.test(next) ? ' ' : whole));
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
  `,\\s+(?!(?:${KEPT_ING})\\b)\\p{Ll}{2,}ing\\s+[^,;:()"\\u201c\\u201d]{3,120}?(?=[.!?]["'\\u201d\\u2019)]*$)`,
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

const SPEECH_DAY = new RegExp(`\\b(said|says|announced|confirmed|revealed|told [^,.;"]{1,40}?|warned|added|reported)\\s+on\\s+${WEEKDAY}\\b`, 'g');
/**
 * Removes the weekday after a verb of saying ("said on Friday that…" → "said that…").
 * A weekday anywhere else stays: "On Saturday, it will compete…" tells when it happens.
 */
export function dropSpeechDay(sentence: string): string {
  return sentence.replace(SPEECH_DAY, '$1');
}

const MIN_WORDS = 6;

/** The sentence with every rule applied, or the sentence itself when nothing safe is left. */
export function compressSentence(sentence: string): string {
  if (QUOTE_MARK.test(sentence)) return sentence; // a quotation is the speaker's words: untouched
  const out = dropSpeechDay(dropFinalParticiple(dropRelativeClause(dropOpeningConnective(dropAside(sentence))))).replace(/\s{2,}/g, ' ').trim();
  if (out.split(/\s+/).length < MIN_WORDS || !/[.!?]["'\u201d\u2019)]*$/.test(out)) return sentence;
  return out;
}
