/**
 * Locale tags as subscribers and configuration write them (`de-CH`, `pt_BR`): the lookup
 * order for strings and titles, and the base language. Used by the planner (editions),
 * the renderer and the preferences page, so it sits below all three.
 */
export const FALLBACK_LOCALE = 'en';

/** The subscriber's locale, then its base language (de-CH → de), then the fallback. */
export function localeChain(locale: string): string[] {
  const normalized = locale.trim().replace(/_/g, '-').toLowerCase();
  const chain: string[] = [];
  if (normalized) chain.push(normalized);
  const base = normalized.split('-')[0];
  if (base && !chain.includes(base)) chain.push(base);
  if (!chain.includes(FALLBACK_LOCALE)) chain.push(FALLBACK_LOCALE);
  return chain;
}

/** The language part of a tag, lower-cased: `de` of `de-AT`, `pt` of `pt_BR`. */
export function baseLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}
