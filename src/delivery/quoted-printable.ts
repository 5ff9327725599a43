/**
 * Quoted-printable (RFC 2045 6.7) for pieces of a body that are encoded separately and
 * joined later (body-template.ts): each piece starts at the beginning of an encoded line
 * and ends at the end of one, so pieces encoded at different times fit together, and a
 * decoder sees exactly the text the pieces came from.
 */

/** Encoded lines hold at most 75 characters plus the `=` of a soft line break (76 in all). */
const MAX_ENCODED = 75;
const HEX = Array.from({ length: 256 }, (_, byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`);
/** Bytes written as they are: printable ASCII except `=`; space and tab only inside a line. */
const LITERAL = Array.from({ length: 256 }, (_, byte) => byte >= 33 && byte <= 126 && byte !== 61);

/**
 * Encodes `text` (CRLF line breaks) so that it ends at a line end: with the hard CRLF it
 * had, or else with a soft line break `=\r\n`, which decodes to nothing. Empty text stays
 * empty. A dot at the start of a line is written `=2E` (a relay that drops dot-stuffing
 * cannot eat it), whitespace before a line end is encoded (some relays strip it).
 */
export function encodeQuotedPrintablePiece(text: string): string {
  if (!text) return '';
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 13 && bytes[i + 1] === 10) {
      out += `${line}\r\n`;
      line = '';
      i++;
      continue;
    }
    const atLineEnd = i + 1 === bytes.length || (bytes[i + 1] === 13 && bytes[i + 2] === 10);
    let piece = LITERAL[byte] || ((byte === 32 || byte === 9) && !atLineEnd) ? String.fromCharCode(byte) : HEX[byte]!;
    if (line.length + piece.length > MAX_ENCODED) {
      out += `${line}=\r\n`;
      line = '';
    }
    if (!line && byte === 46) piece = HEX[46]!;
    line += piece;
  }
  return line ? `${out}${line}=\r\n` : out;
}

/**
 * Relaxed body canonicalization (RFC 6376 3.4.4) of whole lines ending in CRLF: runs of
 * spaces and tabs become one space, and none is left before a line end. Trailing empty
 * lines are the caller's matter (a multipart body ends with its closing delimiter).
 */
export function canonicalizeLines(text: string): string {
  return text.replace(/[ \t]+/g, ' ').replace(/ \r\n/g, '\r\n');
}

/** The longest line in octets (CRLF not counted) of text with CRLF line breaks. */
export function longestLineOctets(text: string): number {
  let longest = 0;
  for (const line of text.split('\r\n')) longest = Math.max(longest, Buffer.byteLength(line, 'utf8'));
  return longest;
}

/** Line breaks as CRLF, the canonical form of text in MIME (a lone CR or LF becomes CRLF). */
export function toCrlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}
