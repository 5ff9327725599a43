import type { PersonalTokens, RenderedSegment } from './render-types.ts';
import { toHttpUrl } from '../core/http-url.ts';
import { escapeHtml } from './safe-url.ts';
import { cleanHeaderLine } from './header-line.ts';

/**
 * Per-subscriber token replacement (`%%{first_name}%%` is derived from the name). A
 * segment is split once at its token positions (cached per segment object); each
 * message is then a join of static parts and values, so personalizing 20,000 messages
 * costs string concatenation only.
 *
 * A token is matched raw (`%%{name}%%`), URL-encoded (`%25%25%7Bname%7D%25%25`, as an
 * href may carry it) and entity-escaped (`&#37;&#37;&#123;name&#125;&#37;&#37;`, `&lbrace;`…).
 */
export const TOKEN_NAMES = ['name', 'first_name', 'email', 'unsubscribe_url', 'preferences_url', 'view_url'] as const;
export type TokenName = (typeof TOKEN_NAMES)[number];

const PERCENT = '(?:%25|%|&#37;|&#x25;|&percnt;)';
const OPEN = '(?:\\{|%7B|%7b|&#123;|&#x7[bB];|&lbrace;|&lcub;)';
const CLOSE = '(?:\\}|%7D|%7d|&#125;|&#x7[dD];|&rbrace;|&rcub;)';
export const TOKEN_PATTERN = new RegExp(
  `${PERCENT}${PERCENT}${OPEN}(${TOKEN_NAMES.join('|')})${CLOSE}${PERCENT}${PERCENT}`,
  'g',
);

export interface TokenSlot {
  token: TokenName;
  /** The token stood URL-encoded, i.e. inside a URL: a plain value is percent-encoded there. */
  urlEncoded: boolean;
}

/** Static parts interleaved with slots: parts.length === slots.length + 1. */
interface SplitText {
  parts: string[];
  slots: TokenSlot[];
}

interface CompiledSegment {
  subject: SplitText;
  html: SplitText;
  text: SplitText;
}

const compiledSegments = new WeakMap<RenderedSegment, CompiledSegment>();

export function splitAtTokens(input: string): SplitText {
  const parts: string[] = [];
  const slots: TokenSlot[] = [];
  let last = 0;
  for (const match of input.matchAll(TOKEN_PATTERN)) {
    parts.push(input.slice(last, match.index));
    slots.push({ token: match[1] as TokenName, urlEncoded: match[0].includes('%25') || /%7[bB]/.test(match[0]) });
    last = match.index! + match[0].length;
  }
  parts.push(input.slice(last));
  return { parts, slots };
}

function compile(segment: RenderedSegment): CompiledSegment {
  let found = compiledSegments.get(segment);
  if (!found) {
    found = {
      subject: splitAtTokens(segment.subject),
      html: splitAtTokens(segment.html),
      text: splitAtTokens(segment.text),
    };
    compiledSegments.set(segment, found);
  }
  return found;
}

function join(split: SplitText, values: Record<TokenName, string>, encodedValues: Record<TokenName, string>): string {
  let out = split.parts[0]!;
  for (let i = 0; i < split.slots.length; i++) {
    const slot = split.slots[i]!;
    out += (slot.urlEncoded ? encodedValues : values)[slot.token] + split.parts[i + 1]!;
  }
  return out;
}

const isUrlToken = (token: TokenName) => token.endsWith('_url');

/**
 * What a greeting calls the reader: the first word of the name ("Ada" of "Ada Lovelace"),
 * or of the part after the comma in the "Family, Given" form. Empty when there is no name.
 */
export function firstNameOf(name: string): string {
  const comma = name.indexOf(',');
  const given = comma >= 0 && name.slice(comma + 1).trim() ? name.slice(comma + 1) : name;
  return given.trim().split(/\s+/)[0] ?? '';
}

export interface PersonalizedMessage {
  subject: string;
  html: string;
  text: string;
}

/**
 * One subscriber's token values in the forms the parts need: `text` (raw: the plain-text
 * part and the subject) and `html` (escaped), each also as it stands inside a URL.
 */
export interface PersonalValues {
  text: Record<TokenName, string>;
  textInUrl: Record<TokenName, string>;
  html: Record<TokenName, string>;
  htmlInUrl: Record<TokenName, string>;
}

/**
 * A reader's token values (`%%{name}%%` …) from the stored fields and their signed links:
 * the one map from a subscriber to the placeholders.
 */
export function personalTokens(
  reader: { name: string | null; firstName?: string | null; email: string },
  urls: { unsubscribeUrl: string; preferencesUrl: string; viewUrl: string },
): PersonalTokens {
  return {
    name: reader.name ?? '',
    first_name: reader.firstName ?? '',
    email: reader.email,
    unsubscribe_url: urls.unsubscribeUrl,
    preferences_url: urls.preferencesUrl,
    view_url: urls.viewUrl,
  };
}

export function personalValues(segment: RenderedSegment, tokens: PersonalTokens): PersonalValues {
  const fullName = cleanHeaderLine(tokens.name ?? '');
  const name = fullName || segment.nameFallback || 'there';
  // Raw values: the plain-text part and the subject. URLs that are not http(s) are dropped.
  const raw: Record<TokenName, string> = {
    name,
    first_name: cleanHeaderLine(tokens.first_name ?? '') || firstNameOf(fullName) || name,
    email: cleanHeaderLine(tokens.email ?? ''),
    unsubscribe_url: toHttpUrl(tokens.unsubscribe_url) ?? '',
    preferences_url: toHttpUrl(tokens.preferences_url) ?? '',
    view_url: toHttpUrl(tokens.view_url) ?? '',
  };
  const html = {} as Record<TokenName, string>;
  const htmlInUrl = {} as Record<TokenName, string>;
  const textInUrl = {} as Record<TokenName, string>;
  for (const token of TOKEN_NAMES) {
    html[token] = escapeHtml(raw[token]);
    // A whole URL stands for itself; a name or e-mail inside a URL is percent-encoded.
    textInUrl[token] = isUrlToken(token) ? raw[token] : encodeURIComponent(raw[token]);
    htmlInUrl[token] = escapeHtml(textInUrl[token]);
  }
  return { text: raw, textInUrl, html, htmlInUrl };
}

/** The subject with the subscriber's values (a header line: cleaned and capped). */
export function personalSubject(segment: RenderedSegment, values: PersonalValues): string {
  return cleanHeaderLine(join(compile(segment).subject, values.text, values.textInUrl));
}

export function personalize(segment: RenderedSegment, tokens: PersonalTokens): PersonalizedMessage {
  const compiled = compile(segment);
  const values = personalValues(segment, tokens);
  return {
    subject: cleanHeaderLine(join(compiled.subject, values.text, values.textInUrl)),
    html: join(compiled.html, values.html, values.htmlInUrl),
    text: join(compiled.text, values.text, values.textInUrl),
  };
}
