import { TidingsError } from '../core/errors.ts';
import { checkEmailAddress } from '../subscribers/email-address.ts';

/**
 * Small, pure header helpers. Every value that reaches a header passes through
 * `singleLine` first, so a newline in a name or subject can never start a header.
 */

/** Collapses every run of whitespace (CR, LF, tabs, Unicode separators) and control characters into one space. */
export function singleLine(text: string): string {
  return text.replace(/[\s\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
}

/** Caps a header text at `max` code points, marking the cut with an ellipsis. */
export function capLength(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max
    ? text
    : `${points
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const PLAIN_TEXT = /^[\x20-\x7e]*$/;

/** RFC 2047 B-encoded words of at most 75 characters, split on whole characters, folded with CRLF SP. */
export function encodeWords(text: string): string {
  if (PLAIN_TEXT.test(text) && !text.includes('=?')) return text;
  const words: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > 45) {
      words.push(chunk.join(''));
      chunk = [];
      bytes = 0;
    }
    chunk.push(char);
    bytes += size;
  }
  if (chunk.length) words.push(chunk.join(''));
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
}

const ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/;

/** A display name as a phrase: atoms as they are, quoted when it has specials, encoded words when not ASCII. */
export function encodePhrase(name: string): string {
  const clean = singleLine(name);
  if (!PLAIN_TEXT.test(clean) || clean.includes('=?')) return encodeWords(clean);
  if (ATOM_TEXT.test(clean)) return clean;
  return `"${clean.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Validates an addr-spec by the one address rule (src/subscribers/email-address.ts) and
 * returns it with an ASCII (punycode) domain; throws INPUT_INVALID with the rule's reason.
 */
export function normalizeAddress(address: string, where: string): string {
  const parts = checkEmailAddress(address);
  if (!parts.ok) throw new TidingsError('INPUT_INVALID', `not a usable e-mail address: ${parts.reason}`, { where });
  return `${parts.local}@${parts.domain}`;
}

/** `Name <addr>` (or just `<addr>` without a name). */
export function formatMailbox(name: string | null | undefined, address: string): string {
  const phrase = name ? encodePhrase(name) : '';
  return phrase ? `${phrase} <${address}>` : `<${address}>`;
}

/** Splits `Name <addr>` or a bare `addr` as written in the configuration. */
export function parseMailbox(text: string, where: string): { name: string | null; address: string } {
  const clean = singleLine(text);
  const match = /^(.*?)\s*<([^<>]+)>$/.exec(clean);
  const rawName = match ? match[1]!.replace(/^"(.*)"$/, '$1').trim() : '';
  const address = normalizeAddress(match ? match[2]!.trim() : clean, where);
  return { name: rawName || null, address };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC: `Sat, 28 Nov 2026 07:00:00 +0000`. */
export function formatDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[at.getUTCDay()]}, ${pad(at.getUTCDate())} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()} ` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
}

/** Base64 of UTF-8 text in lines of 76 characters (RFC 2045), using the native encoder. */
export function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const lines: string[] = new Array(Math.ceil(encoded.length / 76));
  for (let i = 0, line = 0; i < encoded.length; i += 76, line++) lines[line] = encoded.slice(i, i + 76);
  return lines.join('\r\n');
}

/**
 * The Content-Type header and body of a multipart/alternative message (text, then HTML,
 * both UTF-8 in base64), as lines to join with CRLF after the other headers.
 */
export function alternativeBodyLines(boundary: string, text: string, html: string): string[] {
  return [
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(html),
    `--${boundary}--`,
    '',
  ];
}
