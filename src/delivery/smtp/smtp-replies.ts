/** One complete SMTP reply: the code and every line's text (RFC 5321 §4.2). */
export interface SmtpReply {
  code: number;
  lines: string[];
  /** The reply as the server wrote it, lines joined by a newline: what the ledger keeps. */
  text: string;
}

/** The longest reply line accepted: a server that sends more is not speaking SMTP. */
const MAX_LINE = 4096;
/** Continuation lines per reply: EHLO lists a few dozen at most. */
const MAX_LINES = 200;

/**
 * Turns the bytes a server sends into replies. Lines end with CRLF (a bare LF is
 * tolerated, as most clients do); `250-…` continues a reply and `250 …` ends it.
 * Anything that is not a reply line throws, and the session treats the connection as
 * broken: a reply out of step cannot be trusted to belong to any command.
 */
export class SmtpReplyParser {
  private partial = '';
  private lines: string[] = [];
  private code = 0;

  /** Feeds received bytes; returns the replies they complete, in order. */
  push(chunk: Buffer): SmtpReply[] {
    const replies: SmtpReply[] = [];
    let text = this.partial + chunk.toString('latin1');
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
      const line = text.slice(0, end).replace(/\r$/, '');
      text = text.slice(end + 1);
      const reply = this.line(line);
      if (reply) replies.push(reply);
    }
    if (text.length > MAX_LINE) throw new Error(`reply line longer than ${MAX_LINE} bytes`);
    this.partial = text;
    return replies;
  }

  private line(line: string): SmtpReply | null {
    const match = /^([2-5]\d\d)([ -]|$)(.*)$/.exec(line);
    if (!match) throw new Error(`not an SMTP reply line: ${JSON.stringify(line.slice(0, 80))}`);
    const code = Number(match[1]);
    if (this.lines.length > 0 && code !== this.code)
      throw new Error(`reply lines with different codes: ${this.code} then ${code}`);
    this.code = code;
    this.lines.push(match[3]!);
    if (this.lines.length > MAX_LINES) throw new Error(`reply longer than ${MAX_LINES} lines`);
    if (match[2] === '-') return null;
    const lines = this.lines;
    this.lines = [];
    return { code, lines, text: lines.map((l) => `${code} ${l}`.trimEnd()).join('\n') };
  }
}

/** The extensions an EHLO reply advertises, upper-cased keywords with their parameters. */
export function parseExtensions(reply: SmtpReply): Map<string, string> {
  const extensions = new Map<string, string>();
  // The first line greets; each further line is one extension.
  for (const line of reply.lines.slice(1)) {
    const [keyword = '', ...params] = line.trim().split(/\s+/);
    if (keyword) extensions.set(keyword.toUpperCase(), params.join(' ').toUpperCase());
  }
  return extensions;
}
