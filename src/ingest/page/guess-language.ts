/**
 * A small, offline language guess for text that does not declare its language (page
 * dumps): counts very common function words. Returns null unless one language clearly
 * leads, so a wrong guess is rarer than no guess.
 */
const STOPWORDS: Record<string, string[]> = {
  en: ['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'with', 'was', 'on', 'said', 'by', 'this', 'are', 'from'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'mit', 'den', 'von', 'sich', 'auf', 'für', 'eine', 'dem', 'auch'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'dans', 'pour', 'que', 'qui', 'du', 'sur', 'pas', 'au'],
  es: ['el', 'la', 'los', 'las', 'y', 'que', 'del', 'en', 'por', 'una', 'con', 'para', 'es', 'se', 'su'],
  it: ['il', 'della', 'che', 'di', 'e', 'per', 'non', 'una', 'sono', 'con', 'del', 'gli', 'alla', 'è', 'nel'],
  pt: ['o', 'os', 'da', 'do', 'que', 'em', 'não', 'uma', 'para', 'com', 'dos', 'das', 'foi', 'ao', 'é'],
  nl: ['de', 'het', 'een', 'van', 'en', 'niet', 'dat', 'op', 'voor', 'met', 'zijn', 'ook', 'wordt', 'aan', 'bij'],
  ru: ['и', 'в', 'не', 'на', 'что', 'с', 'по', 'это', 'как', 'из', 'для', 'его', 'он', 'был', 'также'],
  uk: ['і', 'та', 'що', 'на', 'не', 'з', 'до', 'це', 'як', 'від', 'для', 'його', 'також', 'було', 'є'],
};
const LOOKUP = new Map<string, string[]>();
for (const [language, words] of Object.entries(STOPWORDS)) {
  for (const word of words) LOOKUP.set(word, [...(LOOKUP.get(word) ?? []), language]);
}

export function guessLanguage(text: string): string | null {
  const scores = new Map<string, number>();
  let words = 0;
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    words += 1;
    for (const language of LOOKUP.get(word) ?? []) scores.set(language, (scores.get(language) ?? 0) + 1);
    if (words > 2000) break;
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 5 || best[1] < words * 0.08) return null;
  if (second && second[1] * 1.5 > best[1]) return null;
  return best[0];
}
