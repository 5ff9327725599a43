const LF_DOT = Buffer.from('\n.', 'latin1');
const DOT = Buffer.from('.', 'latin1');
const CRLF_DOT_CRLF = Buffer.from('\r\n.\r\n', 'latin1');
const DOT_CRLF = Buffer.from('.\r\n', 'latin1');

/**
 * A message as the bytes that follow SMTP's `DATA` reply (RFC 5321 §4.5.2): every line
 * that starts with a dot gets a second one, and the terminating `.` line is appended.
 * The message must already use CRLF line endings (message-builder.ts writes them).
 *
 * Returned as slices of the input plus the inserted dots, for one vectored socket write:
 * the 30–50 KB body is searched with `indexOf`, never copied or walked byte by byte.
 */
export function dotStuff(message: Buffer): Buffer[] {
  return dotStuffPieces([message]);
}

/**
 * The same for a message given in pieces (segment-message-builder.ts writes it so and
 * never joins them): a line may start in one piece after a line break that ended the
 * piece before.
 */
export function dotStuffPieces(message: readonly Buffer[]): Buffer[] {
  const pieces: Buffer[] = [];
  let atLineStart = true;
  let last = -1;
  let beforeLast = -1;
  for (const piece of message) {
    if (piece.length === 0) continue;
    if (atLineStart && piece[0] === 0x2e) pieces.push(DOT);
    let from = 0;
    for (let at = piece.indexOf(LF_DOT); at >= 0; at = piece.indexOf(LF_DOT, at + 1)) {
      // Up to and including the LF; the extra dot goes before the line's own dot.
      pieces.push(piece.subarray(from, at + 1), DOT);
      from = at + 1;
    }
    pieces.push(from === 0 ? piece : piece.subarray(from));
    beforeLast = piece.length >= 2 ? piece[piece.length - 2]! : last;
    last = piece[piece.length - 1]!;
    atLineStart = last === 0x0a;
  }
  const endsWithLine = beforeLast === 0x0d && last === 0x0a;
  pieces.push(endsWithLine || last === -1 ? DOT_CRLF : CRLF_DOT_CRLF);
  return pieces;
}
