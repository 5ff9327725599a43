import { describe, expect, it } from 'vitest';
import { parseExtensions, SmtpReplyParser } from '../../src/delivery/smtp/smtp-replies.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('SmtpReplyParser', () => {
  it('joins continuation lines into one reply and keeps replies in order', () => {
    const parser = new SmtpReplyParser();
    const replies = parser.push(bytes('250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n354 go ahead\r\n'));
    expect(replies.map((r) => r.code)).toEqual([250, 354]);
    expect(replies[0]!.lines).toEqual(['mx.example.test', 'PIPELINING', '8BITMIME']);
    expect(replies[1]!.text).toBe('354 go ahead');
  });

  it('waits for a reply split across packets, even inside a line break', () => {
    const parser = new SmtpReplyParser();
    expect(parser.push(bytes('250-first\r\n25'))).toEqual([]);
    expect(parser.push(bytes('0 second\r'))).toEqual([]);
    const [reply] = parser.push(bytes('\n'));
    expect(reply).toMatchObject({ code: 250, lines: ['first', 'second'] });
  });

  it('accepts bare LF line ends and a code without text', () => {
    const [reply] = new SmtpReplyParser().push(bytes('221\n'));
    expect(reply).toMatchObject({ code: 221, lines: [''], text: '221' });
  });

  it('throws on a line that is not a reply, so the session can stop trusting the connection', () => {
    expect(() => new SmtpReplyParser().push(bytes('HTTP/1.1 400 Bad Request\r\n'))).toThrow(/not an SMTP reply line/);
    expect(() => new SmtpReplyParser().push(bytes('250-one\r\n550 two\r\n'))).toThrow(/different codes/);
    expect(() => new SmtpReplyParser().push(bytes('2'.repeat(5000)))).toThrow(/longer than/);
  });
});

describe('parseExtensions', () => {
  it('lists the keywords after the greeting line, upper-cased, with their parameters', () => {
    const [reply] = new SmtpReplyParser().push(
      bytes('250-mx.example.test Hello\r\n250-auth login Plain\r\n250-SIZE 1000\r\n250 pipelining\r\n'),
    );
    const extensions = parseExtensions(reply!);
    expect([...extensions.keys()]).toEqual(['AUTH', 'SIZE', 'PIPELINING']);
    expect(extensions.get('AUTH')).toBe('LOGIN PLAIN');
    expect(extensions.has('MX.EXAMPLE.TEST')).toBe(false);
  });
});
