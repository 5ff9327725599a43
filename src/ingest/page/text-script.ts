/**
 * Which writing system a piece of text is in, by Unicode Script property. Used to spot
 * a site's interface lines left in a page dump in another script than the story
 * (a Russian "report a typo" prompt under an English article, and the reverse).
 */
export type ScriptName =
  | 'Latin'
  | 'Cyrillic'
  | 'Greek'
  | 'Arabic'
  | 'Hebrew'
  | 'Han'
  | 'Hangul'
  | 'Devanagari'
  | 'Thai'
  | 'Georgian'
  | 'Armenian';

const SCRIPTS: Array<[ScriptName, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  // Japanese mixes kana with Han; one bucket keeps a Japanese story from looking foreign to itself.
  ['Han', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Armenian', /\p{Script=Armenian}/u],
];

/** Letter counts per script. */
export function countScripts(text: string): Map<ScriptName, number> {
  const counts = new Map<ScriptName, number>();
  for (const char of text.match(/\p{L}/gu) ?? []) {
    for (const [name, pattern] of SCRIPTS) {
      if (pattern.test(char)) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        break;
      }
    }
  }
  return counts;
}

/** The script most letters are in, or null when the text has no letters we know. */
export function dominantScript(text: string): ScriptName | null {
  let best: ScriptName | null = null;
  let bestCount = 0;
  for (const [name, count] of countScripts(text)) {
    if (count > bestCount) [best, bestCount] = [name, count];
  }
  return best;
}

/** True when fewer than half the letters of `text` are in `script`. */
export function isMostlyOtherScript(text: string, script: ScriptName): boolean {
  const counts = countScripts(text);
  let total = 0;
  for (const count of counts.values()) total += count;
  return total > 0 && (counts.get(script) ?? 0) * 2 < total;
}
