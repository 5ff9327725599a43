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
  const pieces: Buffer[] = [];
  let from = 0;
  if (message.length > 0 && message[0] === 0x2e) pieces.push(DOT);
  for (let at = message.indexOf(LF_DOT); at >= 0; at = message.indexOf(LF_DOT, at + 1)) {
    // Up to and including the LF; the extra dot goes before the line's own dot.
    pieces.push(message.subarray(from, at + 1), DOT);
    from = at + 1;
  }
  pieces.push(message.subarray(from));
  const endsWithLine =
    message.length >= 2 && message[message.length - 2] === 0x0d && message[message.length - 1] === 0x0a;
  pieces.push(endsWithLine ? DOT_CRLF : message.length === 0 ? DOT_CRLF : CRLF_DOT_CRLF);
  return pieces;
}
