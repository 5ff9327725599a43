import type { LocaleTables } from '../render/locale-strings.ts';
import { localeChain } from '../core/locale-tag.ts';

/**
 * The page's locale: the subscriber's own when the link names one, else the best
 * match of the browser's Accept-Language among the locale files, else the fallback
 * (the newsletter's locale, then English).
 */
export function pickLocale(
  tables: LocaleTables,
  options: { preferred?: string | null; acceptLanguage?: string; fallback?: string },
): string {
  const known = (code: string) =>
    localeChain(code).some((candidate) => candidate !== 'en' && candidate in tables) ||
    code.toLowerCase().startsWith('en');
  if (options.preferred && known(options.preferred)) return options.preferred;
  for (const code of parseAcceptLanguage(options.acceptLanguage ?? '')) {
    if (code === '*') break;
    if (known(code)) return code;
  }
  return options.fallback && known(options.fallback) ? options.fallback : 'en';
}

/** Language ranges of an Accept-Language header, best first (q=0 dropped, at most 20). */
export function parseAcceptLanguage(header: string): string[] {
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { range: range.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => /^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/.test(entry.range) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.range);
}
