import type { ArticleDraft } from '../core/article.ts';

/**
 * Control characters have no business in a stored article: a NUL or an ESC from a
 * source would reach the terminal (`tidings articles`), the mail and the logs. Removed
 * here, at ingest, so nothing stored holds them:
 * - C0 controls, except tab and line feed in multi-line text (a carriage return ends a
 *   line too, so CR LF and a lone CR become LF first);
 * - DEL (U+007F) and the five C1 code points Windows-1252 leaves undefined.
 * Raw U+0080–U+009F are first read as Windows-1252 (`mapWindows1252Characters`): they
 * come from text decoded as Latin-1 that was really Windows-1252 (a U+0092 is a ’),
 * which is how browsers read those bytes (WHATWG maps the Latin-1 label to
 * Windows-1252). Numeric references in the range (`&#146;`) are Windows-1252
 * characters by HTML's rules; the parsers map them before this runs (see
 * `mapWindows1252References` and `decodeWindows1252References`).
 */
const LINE_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const TEXT_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Bidirectional formatting controls: an embedding, override or isolate (U+202A–U+202E,
 * U+2066–U+2069) reorders the text after it, so a title with a U+202E reads backwards in
 * the desk, the email and the terminal, and can make a link or a name look like another.
 * None is needed to show right-to-left text (the script's own letters set the direction):
 * they all go. The marks (LRM, RLM, ALM) only matter beside right-to-left letters; in text
 * without any, they can only disturb the order of neutrals around them, and go too.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const BIDI_MARKS = /[\u200e\u200f\u061c]/g;
const RIGHT_TO_LEFT_LETTERS =
  /(?=\p{L})[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

export function stripBidiControls(value: string): string {
  const withoutControls = value.replace(BIDI_CONTROLS, '');
  return RIGHT_TO_LEFT_LETTERS.test(withoutControls) ? withoutControls : withoutControls.replace(BIDI_MARKS, '');
}

/** For one-line fields (title, author, URL…): every control character goes, and every bidi control. */
export function stripLineControls(value: string): string;
export function stripLineControls(value: string | null): string | null;
export function stripLineControls(value: string | null): string | null {
  if (value === null) return null;
  const line = mapWindows1252Characters(value).replace(LINE_CONTROLS, (control) =>
    control === '\t' || control === '\n' || control === '\r' ? ' ' : '',
  );
  return stripBidiControls(line);
}

/** For multi-line text: tab and line feed stay, CR LF and CR become LF, the rest goes (bidi controls too). */
export function stripTextControls(value: string): string;
export function stripTextControls(value: string | null): string | null;
export function stripTextControls(value: string | null): string | null {
  if (value === null) return null;
  return stripBidiControls(mapWindows1252Characters(value).replace(/\r\n?/g, '\n').replace(TEXT_CONTROLS, ''));
}

/** Every field of a draft, cleaned; the one place normalization strips controls. */
export function stripDraftControls(draft: ArticleDraft): ArticleDraft {
  return {
    url: stripLineControls(draft.url),
    title: stripLineControls(draft.title),
    text: stripTextControls(draft.text),
    description: stripTextControls(draft.description),
    publishedAt: stripLineControls(draft.publishedAt),
    labels: draft.labels.map((label) => stripLineControls(label)),
    author: stripLineControls(draft.author),
    imageUrl: stripLineControls(draft.imageUrl),
    language: stripLineControls(draft.language),
    siteName: stripLineControls(draft.siteName),
  };
}

/**
 * Windows-1252 in numeric references: HTML maps `&#128;`–`&#159;` (and hex forms) to
 * the characters Windows-1252 puts at those bytes (`&#146;` → ’), as browsers do.
 * XML parsers do not, so feeds written by Windows tools would otherwise carry raw C1
 * controls. Rewrites such references to the right code point before an XML parse.
 */
const CP1252_C1: readonly (number | null)[] = [
  0x20ac,
  null,
  0x201a,
  0x0192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x02c6,
  0x2030,
  0x0160,
  0x2039,
  0x0152,
  null,
  0x017d,
  null,
  null,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x02dc,
  0x2122,
  0x0161,
  0x203a,
  0x0153,
  null,
  0x017e,
  0x0178,
];

export function mapWindows1252References(source: string): string {
  if (!source.includes('&#')) return source;
  return source.replace(
    /&#(?:[xX]0*([89][0-9a-fA-F])|0*(1[2-5][0-9]));/g,
    (reference, hex: string | undefined, decimal: string | undefined) => {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
      if (code < 0x80 || code > 0x9f) return reference;
      const mapped = CP1252_C1[code - 0x80];
      // The five undefined bytes stay controls, and are removed at normalization.
      return mapped ? `&#${mapped};` : reference;
    },
  );
}

/** Raw U+0080–U+009F read as the Windows-1252 characters at those bytes; the five undefined ones stay (and are removed). */
export function mapWindows1252Characters(value: string): string {
  if (!/[\u0080-\u009f]/.test(value)) return value;
  return value.replace(/[\u0080-\u009f]/g, (control) => {
    const mapped = CP1252_C1[control.charCodeAt(0) - 0x80];
    return mapped ? String.fromCharCode(mapped) : control;
  });
}

/**
 * For plain text that HTML rules still apply to by convention (page dumps saved from a
 * browser's source, Markdown front matter): only the references 128–159 become the
 * Windows-1252 characters; other references are left as written, since such text is
 * not otherwise entity-decoded.
 */
export function decodeWindows1252References(text: string): string;
export function decodeWindows1252References(text: string | null): string | null;
export function decodeWindows1252References(text: string | null): string | null {
  if (text === null || !text.includes('&#')) return text;
  return text.replace(
    /&#(?:[xX]0*([89][0-9a-fA-F])|0*(1[2-5][0-9]));/g,
    (reference, hex: string | undefined, decimal: string | undefined) => {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
      if (code < 0x80 || code > 0x9f) return reference;
      const mapped = CP1252_C1[code - 0x80];
      return mapped ? String.fromCharCode(mapped) : reference;
    },
  );
}
