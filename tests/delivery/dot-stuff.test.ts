import { describe, expect, it } from 'vitest';
import { dotStuff } from '../../src/delivery/smtp/dot-stuff.ts';

const wire = (message: string) => Buffer.concat(dotStuff(Buffer.from(message, 'latin1'))).toString('latin1');

/** What a receiving server does (RFC 5321 §4.5.2): drop the terminator, then one leading dot per line. */
function unstuff(data: string): string {
  expect(data.endsWith('\r\n.\r\n') || data === '.\r\n').toBe(true);
  const body = data === '.\r\n' ? '' : data.slice(0, -3);
  return body
    .split('\r\n')
    .map((line) => (line.startsWith('.') ? line.slice(1) : line))
    .join('\r\n');
}

describe('dotStuff', () => {
  it('doubles the dot of every line that starts with one and appends the terminator', () => {
    expect(wire('Hello\r\n.hidden\r\nbye\r\n')).toBe('Hello\r\n..hidden\r\nbye\r\n.\r\n');
  });

  it('stuffs a dot on the first line, a lone dot line and consecutive dot lines', () => {
    expect(wire('.first\r\n.\r\n..\r\n')).toBe('..first\r\n..\r\n...\r\n.\r\n');
  });

  it('leaves dots inside lines alone', () => {
    expect(wire('a.b\r\nend. of line.\r\n')).toBe('a.b\r\nend. of line.\r\n.\r\n');
  });

  it('ends a message that lacks the final line break with one before the terminator', () => {
    expect(wire('no newline')).toBe('no newline\r\n.\r\n');
    expect(wire('')).toBe('.\r\n');
  });

  it('gives back the message unchanged after a server removes the stuffing', () => {
    const message = ['From: a@example.test', '', '.', '.x', 'x.', '..', 'plain', '. spaced', ''].join('\r\n');
    expect(unstuff(wire(message))).toBe(message);
  });

  it('returns slices of the input, not a copy of the whole body', () => {
    const body = Buffer.from(`${'x'.repeat(40_000)}\r\n`, 'latin1');
    const pieces = dotStuff(body);
    expect(pieces[0]!.buffer).toBe(body.buffer);
    expect(pieces).toHaveLength(2);
  });
});
