/**
 * Word tokens shared by the summarizer, the classifier and the language check:
 * lower-cased, accents folded (so "Café" and "cafe" meet), letters and digits only.
 */
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)?/gu;
const MARKS = /\p{M}+/gu;

export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').normalize('NFC');
}

export function wordTokens(text: string): string[] {
  return foldAccents(text.toLowerCase()).match(WORD) ?? [];
}

/** Whitespace-separated words, the unit of `maxWords`. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13 || code === 160;
    if (!space && !inWord) count += 1;
    inWord = !space;
  }
  return count;
}

/** English function words: ignored by the ranking and the classifier, counted by the language check. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are aren't as at be because been before being " +
    "below between both but by can could couldn't did didn't do does doesn't doing don't down during each " +
    "few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers " +
    "herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me " +
    "more most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own " +
    "same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them " +
    "themselves then there there's these they they'd they'll they're they've this those through to too under " +
    "until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's " +
    "which while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your " +
    'yours yourself yourselves said says say just now s t mr mrs ms one two also would could may might must ' +
    'new year years last first us get got like make made many much well back even still way since'
  ).split(' '),
);

/**
 * The classic short English function-word list (no content words such as "said" or
 * "year"). The ranking uses it: news vocabulary like "said" or "government" is part of
 * what makes a sentence central. Measured on bench/summaries-eval.ts, it ranks better
 * than ENGLISH_STOP_WORDS.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him " +
    "his himself she she's her hers herself it it's its itself they them their theirs themselves what which who " +
    "whom this that that'll these those am is are was were be been being have has had having do does did doing a " +
    'an the and but if or because as until while of at by for with about against between into through during ' +
    'before after above below to from up down in out on off over under again further then once here there when ' +
    'where why how all any both each few more most other some such no nor not only own same so than too very s t ' +
    "can will just don don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't " +
    "doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't " +
    "shan shan't shouldn shouldn't wasn wasn't weren weren't won won't wouldn wouldn't"
  ).split(' '),
);
