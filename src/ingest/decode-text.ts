import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * Turns the bytes of a feed, page or text file into a string without mojibake.
 *
 * Order of evidence: a byte order mark, then the NUL-byte pattern of BOM-less UTF-16/32,
 * then the HTTP charset, then the document's own declaration (XML declaration, or
 * <meta charset> within the first 4 KB of HTML), then "is it (mostly) UTF-8?", then chardet.
 *
 * A declared charset wins: the document is decoded in it, and bytes that are invalid
 * in it become U+FFFD one by one (one bad byte in a UTF-8 feed costs one character,
 * not the whole feed). Detection is for undeclared documents. A declared UTF-8 holds
 * however many bytes are invalid: guessing another charset from the bad bytes would
 * garble every valid character of a feed that mixes in a few Latin-1 paragraphs, and
 * readers (browsers, feed readers) follow the label too. It yields only to another
 * declaration of the same document (the HTTP charset against the XML declaration) when
 * the bytes are not valid UTF-8. A legacy charset on bytes that are entirely valid,
 * non-ASCII UTF-8 is provably stale and yields (servers and CMSs mislabel UTF-8 as
 * ISO-8859-1 far more often than Latin-1 text happens to form valid multi-byte sequences).
 */
export interface DecodeHints {
  contentType?: string | null;
  kind: 'xml' | 'html' | 'text';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export function decodeText(bytes: Uint8Array, hints: DecodeHints): string {
  const bom = sniffByteOrderMark(bytes);
  if (bom) return decodeWith(bom.encoding, bytes.subarray(bom.length));

  const wide = sniffWideEncoding(bytes);
  if (wide) return stripBom(decodeWith(wide, bytes));

  const fromHttp = charsetFromContentType(hints.contentType);
  const fromDocument = declaredInDocument(bytes, hints.kind);
  // ISO-8859-1 and US-ASCII are what servers send by default, not a choice: a specific
  // charset declared inside the document is the better evidence then.
  const httpIsDefault = fromHttp !== null && /^(iso-?8859-?1|latin-?1|us-?ascii|ascii)$/i.test(fromHttp.trim());
  const declared = httpIsDefault && fromDocument ? [fromDocument, fromHttp] : [fromHttp, fromDocument];
  // Wide encodings were ruled out by the NUL-byte sniff: a UTF-16/32 label on
  // ASCII-compatible bytes is a stale declaration (the file was re-encoded).
  const usable = declared
    .map(normalizeEncoding)
    .filter((encoding): encoding is string => encoding !== null && !/^utf-?(16|32)/.test(encoding));
  for (const [index, encoding] of usable.entries()) {
    if (encoding === 'utf8') {
      const otherDeclaration = usable.slice(index + 1).some((other) => other !== 'utf8');
      if (otherDeclaration && tryUtf8(bytes) === null) continue;
      return stripBom(lenientUtf8.decode(bytes));
    }
    if (hasNonAsciiUtf8(bytes)) {
      const text = tryUtf8(bytes);
      if (text !== null) return stripBom(text);
    }
    return stripBom(decodeWith(encoding, bytes));
  }

  // Undeclared: UTF-8 with a few bad bytes is still UTF-8 (statistics on such text
  // tend to pick a legacy charset and garble every other character).
  if (isMostlyUtf8(bytes)) return stripBom(lenientUtf8.decode(bytes));
  return stripBom(decodeWith(detectEncoding(bytes, hints.kind), bytes));
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match ? match[1]! : null;
}

function sniffByteOrderMark(bytes: Uint8Array): { encoding: string; length: number } | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf8', length: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf32le', length: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf32be', length: 4 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf16be', length: 2 };
  return null;
}

/**
 * BOM-less UTF-16/32: markup starts with '<' (or whitespace), so the position of the
 * NUL bytes around ASCII characters gives the encoding away.
 */
function sniffWideEncoding(bytes: Uint8Array): string | null {
  const sample = Math.min(bytes.length, 512) & ~3;
  if (sample < 4) return null;
  const nulAt = [0, 0, 0, 0];
  for (let i = 0; i < sample; i++) if (bytes[i] === 0) nulAt[i & 3]! += 1;
  const quarter = sample / 4;
  const mostly = (count: number) => count >= quarter * 0.9;
  const rarely = (count: number) => count <= quarter * 0.1;
  if (rarely(nulAt[0]!) && mostly(nulAt[1]!) && mostly(nulAt[2]!) && mostly(nulAt[3]!)) return 'utf32le';
  if (mostly(nulAt[0]!) && mostly(nulAt[1]!) && mostly(nulAt[2]!) && rarely(nulAt[3]!)) return 'utf32be';
  const even = nulAt[0]! + nulAt[2]!;
  const odd = nulAt[1]! + nulAt[3]!;
  const half = sample / 2;
  if (odd >= half * 0.6 && even <= half * 0.05) return 'utf16le';
  if (even >= half * 0.6 && odd <= half * 0.05) return 'utf16be';
  return null;
}

function declaredInDocument(bytes: Uint8Array, kind: DecodeHints['kind']): string | null {
  if (kind === 'text') return null;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  if (kind === 'xml') {
    const declaration = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
    if (declaration) return declaration[1]!;
    // An XHTML-ish feed or a page fetched as "xml": fall through to <meta>.
  }
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (meta) return meta[1]!;
  if (kind === 'html') {
    const declaration = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
    if (declaration) return declaration[1]!;
  }
  return null;
}

/**
 * Maps a label to the iconv-lite name we decode with. Follows the WHATWG Encoding
 * Standard where it widens a legacy label to its Windows superset (Latin-1 pages
 * really use Windows-1252's curly quotes in 0x80–0x9F).
 */
const SUPERSETS: Record<string, string> = {
  iso88591: 'windows1252',
  latin1: 'windows1252',
  usascii: 'windows1252',
  ascii: 'windows1252',
  iso88599: 'windows1254',
  gb2312: 'gb18030',
  gbk: 'gb18030',
  xgbk: 'gb18030',
  euckr: 'cp949',
  ksc56011987: 'cp949',
  shiftjis: 'cp932',
  sjis: 'cp932',
  xsjis: 'cp932',
  windows31j: 'cp932',
  big5: 'big5hkscs',
  utf8: 'utf8',
  unicode11utf8: 'utf8',
  unicode: 'utf16le',
};

export function normalizeEncoding(label: string | null | undefined): string | null {
  if (!label) return null;
  const compact = label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  if (!compact) return null;
  const mapped = SUPERSETS[compact] ?? compact;
  return iconv.encodingExists(mapped) ? mapped : null;
}

function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Valid UTF-8, or UTF-8 with some bad bytes: at least as many valid multi-byte
 * sequences as invalid bytes. Pure ASCII counts as UTF-8.
 */
export function isMostlyUtf8(bytes: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!;
    if (byte < 0x80) {
      i += 1;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      valid += 1;
      i += length;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return invalid === 0 || valid >= invalid;
}

/** The length of the well-formed UTF-8 sequence starting at `i` (RFC 3629), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  const cont = (at: number, low = 0x80, high = 0xbf) => {
    const byte = bytes[at];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const low = b0 === 0xe0 ? 0xa0 : 0x80;
    const high = b0 === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, low, high) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const low = b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, low, high) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

function hasNonAsciiUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

function detectEncoding(bytes: Uint8Array, kind: DecodeHints['kind']): string {
  const head = bytes.length > 65536 ? bytes.subarray(0, 65536) : bytes;
  // Tag and attribute names are English ASCII: left in, they outvote the text and a
  // short Greek or Czech feed comes out as Latin-1. Detect on the text between tags.
  const sample = kind === 'text' ? head : withoutMarkup(head);
  const candidates = chardet
    .analyse(sample.length > 0 ? sample : head)
    .map((match) => normalizeEncoding(match.name))
    .filter((encoding): encoding is string => encoding !== null);
  // On short texts the statistics are close: the best guess that decodes every byte
  // to a real character (no U+FFFD, no C1 control) beats one that does not.
  const clean = candidates.find((encoding) => !/[\uFFFD\u0080-\u009F]/.test(decodeWith(encoding, sample)));
  return clean ?? candidates[0] ?? 'windows1252';
}

/** The bytes outside `<…>`; tags are ASCII in every ASCII-compatible charset. */
function withoutMarkup(bytes: Uint8Array): Uint8Array {
  const kept = new Uint8Array(bytes.length);
  let length = 0;
  let inTag = false;
  for (const byte of bytes) {
    if (byte === 0x3c) inTag = true;
    else if (inTag) inTag = byte !== 0x3e;
    else kept[length++] = byte;
  }
  return kept.subarray(0, length);
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  if (encoding === 'utf8') return lenientUtf8.decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, { stripBOM: true });
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
