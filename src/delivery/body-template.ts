import { splitAtTokens, type TokenSlot } from '../render/personalize.ts';
import { canonicalizeLines, encodeQuotedPrintablePiece, longestLineOctets, toCrlf } from './quoted-printable.ts';

/**
 * One body part of a segment (the HTML or the text), encoded once and filled per
 * message. The part is split at its `%%{token}%%` slots; per message only the values
 * are encoded and the pre-encoded static bytes are reused:
 *
 * - quoted-printable: every static piece and every value is encoded on its own,
 *   starting a line and ending with a soft line break, so the joins need no re-wrapping
 *   (the soft breaks decode to nothing);
 * - 7bit/8bit (no encoding): the lines without a token are kept as they are; the few
 *   lines with one are joined per message and checked against the 998-octet limit.
 *
 * Every piece is whole lines (it ends with CRLF), so its DKIM canonical form (relaxed)
 * can be computed once for static pieces and per message for the rest.
 */
export type TransferEncoding = '7bit' | '8bit' | 'quoted-printable';

/** RFC 5322 2.1.1: lines of at most 998 octets without the CRLF. */
const MAX_LINE_OCTETS = 998;

/** A static piece: the bytes sent and, computed on first use, their canonical form for DKIM. */
interface StaticPiece {
  raw: Buffer;
  canonical: Buffer | null;
}

/** A line with slots, unencoded: parts.length === slots.length + 1; the last part ends with CRLF. */
interface SlotLine {
  parts: string[];
  slots: TokenSlot[];
}

type IdentityEntry = StaticPiece | SlotLine;

/** What a message's part is: its encoding and its pieces in order, each whole lines. */
export interface FilledPart {
  encoding: TransferEncoding;
  pieces: Buffer[];
  /** The canonical (relaxed) form of each piece, for the DKIM body hash; computed only when signing. */
  canonical(): Buffer[];
}

/** The value of a slot for one message (the caller knows raw, HTML-escaped, URL-encoded forms). */
export type SlotValue = (slot: TokenSlot) => string;

const isStatic = (entry: IdentityEntry): entry is StaticPiece => 'raw' in entry;

function staticPiece(text: string): StaticPiece {
  return { raw: Buffer.from(text, 'utf8'), canonical: null };
}

function canonicalOf(piece: StaticPiece): Buffer {
  piece.canonical ??= Buffer.from(canonicalizeLines(piece.raw.toString('latin1')), 'latin1');
  return piece.canonical;
}

/** A value may go out unencoded when it cannot end or forge a line (or the MIME boundary). */
function safeUnencoded(value: string, boundary: string): boolean {
  return !/[\r\n\0]/.test(value) && !value.includes(boundary);
}

export class BodyTemplate {
  /**
   * Quoted-printable: static pieces (n + 1) around the slots (n), encoded on first use: most
   * servers take the part unencoded, and encoding a 37 KB part was half the cost of a
   * segment's template (each sending process builds one per segment).
   */
  private qpStaticsEncoded: StaticPiece[] | null = null;
  private readonly staticParts: string[];
  private readonly slots: TokenSlot[];
  /** Unencoded: runs of static lines and lines with slots; null when a static line is too long or unsafe. */
  private readonly identity: IdentityEntry[] | null;
  private readonly identityAscii: boolean;

  /**
   * `text` is the rendered part with its tokens; `boundary` the multipart boundary the
   * message uses (an unencoded part must not contain it; quoted-printable never can, `=` being encoded).
   */
  constructor(
    text: string,
    private readonly boundary: string,
  ) {
    // The CRLF after the last line belongs to the delimiter that follows the part.
    const lines = `${toCrlf(text)}\r\n`;
    const split = splitAtTokens(lines);
    this.slots = split.slots;
    this.staticParts = split.parts;
    const usable =
      longestLineOctets(split.parts.join('')) <= MAX_LINE_OCTETS && !/\0/.test(lines) && !lines.includes(boundary);
    this.identity = usable ? identityEntries(split.parts, split.slots) : null;
    this.identityAscii = /^[\x00-\x7f]*$/.test(lines);
  }

  /**
   * The part for one message: unencoded when every line fits (7bit if all ASCII, 8bit if
   * the server takes 8-bit data), else quoted-printable.
   */
  fill(value: SlotValue, allow8bit: boolean): FilledPart {
    return this.fillUnencoded(value, allow8bit) ?? this.fillQuotedPrintable(value);
  }

  private fillUnencoded(value: SlotValue, allow8bit: boolean): FilledPart | null {
    if (!this.identity || (!this.identityAscii && !allow8bit)) return null;
    let ascii = this.identityAscii;
    const pieces: Buffer[] = [];
    const lines: string[] = [];
    for (const entry of this.identity) {
      if (isStatic(entry)) {
        pieces.push(entry.raw);
        continue;
      }
      let line = entry.parts[0]!;
      for (let i = 0; i < entry.slots.length; i++) {
        const filled = value(entry.slots[i]!);
        if (!safeUnencoded(filled, this.boundary)) return null;
        line += filled + entry.parts[i + 1]!;
      }
      const raw = Buffer.from(line, 'utf8');
      if (raw.length - 2 > MAX_LINE_OCTETS) return null;
      if (ascii && raw.length !== line.length) {
        if (!allow8bit) return null;
        ascii = false;
      }
      pieces.push(raw);
      lines.push(line);
    }
    const identity = this.identity;
    return {
      encoding: ascii ? '7bit' : '8bit',
      pieces,
      canonical: () => {
        let next = 0;
        return identity.map((entry) =>
          isStatic(entry) ? canonicalOf(entry) : Buffer.from(canonicalizeLines(lines[next++]!), 'utf8'),
        );
      },
    };
  }

  private get qpStatics(): StaticPiece[] {
    this.qpStaticsEncoded ??= this.staticParts.map((part) => staticPiece(encodeQuotedPrintablePiece(part)));
    return this.qpStaticsEncoded;
  }

  private fillQuotedPrintable(value: SlotValue): FilledPart {
    const qpStatics = this.qpStatics;
    const pieces: Buffer[] = [qpStatics[0]!.raw];
    const values: string[] = [];
    for (let i = 0; i < this.slots.length; i++) {
      const encoded = encodeQuotedPrintablePiece(value(this.slots[i]!));
      values.push(encoded);
      if (encoded) pieces.push(Buffer.from(encoded, 'latin1'));
      pieces.push(qpStatics[i + 1]!.raw);
    }
    return {
      encoding: 'quoted-printable',
      pieces,
      canonical: () => {
        const out: Buffer[] = [canonicalOf(qpStatics[0]!)];
        for (let i = 0; i < values.length; i++) {
          if (values[i]) out.push(Buffer.from(canonicalizeLines(values[i]!), 'latin1'));
          out.push(canonicalOf(qpStatics[i + 1]!));
        }
        return out;
      },
    };
  }
}

/** Groups the text into runs of static lines and single lines with slots. */
function identityEntries(parts: readonly string[], slots: readonly TokenSlot[]): IdentityEntry[] {
  const entries: IdentityEntry[] = [];
  let pending = ''; // static text not yet placed: whole lines, then the start of a line with slots
  let current: SlotLine | null = null;
  const flushStatic = (text: string) => {
    if (text) entries.push(staticPiece(text));
  };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (current) {
      // The part continues the line with slots up to its first CRLF.
      const end = part.indexOf('\r\n');
      if (end < 0 && i < slots.length) {
        current.parts.push(part);
        current.slots.push(slots[i]!);
        continue;
      }
      current.parts.push(part.slice(0, end + 2));
      entries.push(current);
      current = null;
      pending = part.slice(end + 2);
    } else {
      pending += part;
    }
    if (i < slots.length) {
      // The line holding slot i starts after the last CRLF of the static text before it.
      const start = pending.lastIndexOf('\r\n') + 2;
      flushStatic(pending.slice(0, start));
      current = { parts: [pending.slice(start)], slots: [slots[i]!] };
      pending = '';
    }
  }
  flushStatic(pending);
  return entries;
}
