import { FALLBACK_LOCALE, localeChain } from '../core/locale-tag.ts';

/**
 * Interface strings from templates/locales/<locale>.json. A key missing in the
 * subscriber's locale falls back to its base language (de-CH → de), then to en,
 * then to the key itself, so a half-translated file never breaks a send.
 */
export type LocaleTable = Record<string, string>;
export type LocaleTables = Record<string, LocaleTable>;

/** `{word}` placeholders, but not the `%%{token}%%` personalization tokens. */
const PLACEHOLDER = /(?<!%)\{([A-Za-z0-9_]+)\}(?!%)/g;

export interface Translator {
  /** The locale chain used for lookups, most specific first. */
  readonly chain: readonly string[];
  translate(key: string, params?: Record<string, unknown>, escapeText?: (value: string) => string): string;
}

export function createTranslator(tables: LocaleTables, locale: string): Translator {
  const chain = localeChain(locale);
  const lookup = (key: string): string => {
    for (const code of chain) {
      const value = tables[code]?.[key];
      if (typeof value === 'string') return value;
    }
    return key;
  };
  return {
    chain,
    translate(key, params = {}, escapeText = (value) => value) {
      const template = lookup(key);
      // Escape the literal parts and the values separately so a value cannot inject markup.
      let out = '';
      let last = 0;
      for (const match of template.matchAll(PLACEHOLDER)) {
        const name = match[1]!;
        if (!(name in params)) continue;
        out += escapeText(template.slice(last, match.index)) + escapeText(String(params[name] ?? ''));
        last = match.index! + match[0].length;
      }
      return out + escapeText(template.slice(last));
    },
  };
}

/** The first locale in the chain that Intl accepts, for date formatting. */
export function resolveIntlLocale(locale: string): string {
  for (const code of localeChain(locale)) {
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf([code]).length > 0) return code;
    } catch {
      // RangeError for a malformed tag: try the next one.
    }
  }
  return FALLBACK_LOCALE;
}
