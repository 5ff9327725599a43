/**
 * A light English stemmer for the classifier: it only folds inflections (plurals,
 * possessives, -ing, -ed) so "shares", "shared" and "sharing" meet "share", without the
 * aggressive derivational cuts of Porter ("general" -> "gener") that merge unrelated
 * words. Short words are left alone: most of them are names or acronyms.
 */
const VOWEL = /[aeiouy]/;

/**
 * What is left once -ing/-ed is cut: a doubled consonant is undone ("stopp" -> "stop",
 * but not l, s, z: "call", "pass", "buzz"), and a short consonant-vowel-consonant stem
 * gets its e back ("hop" from "hoped" -> "hope").
 */
function repairStem(stem: string): string {
  const last = stem.at(-1)!;
  if (stem.length > 3 && last === stem.at(-2) && !'lsz'.includes(last)) return stem.slice(0, -1);
  return /^[^aeiouy]*[aeiouy][^aeiouwxy]$/.test(stem) ? `${stem}e` : stem;
}

export function lightStem(word: string): string {
  let w = word.replace(/['\u2019]s$/, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(?:sses|xes|ches|shes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is|ous)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) return repairStem(w.slice(0, -3));
  if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2)) && !w.endsWith('eed'))
    return repairStem(w.slice(0, -2));
  return w;
}
