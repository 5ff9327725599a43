import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeControlCharacters } from '../../src/cli/terminal-text.ts';

describe('escapeControlCharacters', () => {
  it.each([
    ['NUL', 'a\u0000b', 'a\\u0000b'],
    ['ESC of a colour sequence', '\u001b[31mred', '\\u001b[31mred'],
    ['a terminal title sequence (OSC … BEL)', '\u001b]0;owned\u0007', '\\u001b]0;owned\\u0007'],
    ['carriage return (overwrites the line)', 'ok\rFAKE', 'ok\\u000dFAKE'],
    ['backspace and DEL', 'a\bb\u007f', 'a\\u0008b\\u007f'],
    ['a C1 control (CSI)', 'x\u009by', 'x\\u009by'],
    ['bidi override and isolate', 'abc\u202edcba\u2066x\u2069', 'abc\\u202edcba\\u2066x\\u2069'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeControlCharacters(input)).toBe(expected);
  });

  it('keeps tab, newline and every printable character as they are', () => {
    const text = 'Title\twith tab\nsecond line — Café, Москва, 東京, emoji 🎉, zero-width joiner \u200d';
    expect(escapeControlCharacters(text)).toBe(text);
  });

  it('keeps a JSON line valid and equal to the original data when parsed', () => {
    const value = { title: 'a\u007fb\u0085c\u202ed\u001be' };
    const escaped = escapeControlCharacters(JSON.stringify(value));
    expect(escaped).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(escaped)).toEqual(value);
  });
});

describe('readable log lines in a terminal', () => {
  it('escape control characters in messages and keep their own colours', () => {
    const child = path.resolve(import.meta.dirname, '../fixtures/cli/pretty-log-child.ts');
    const { stderr, status } = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8' });
    expect(status).toBe(0);
    expect(stderr).toContain('Ferry\\u001b[2J news\\u0000');
    expect(stderr).toContain('reply \\u001b]0;owned\\u0007 from');
    expect(stderr).not.toContain('\u001b[2J');
    expect(stderr).not.toContain('\u0000');
    expect(stderr).toContain('\u001b[33mWARN'); // pino-pretty's own colour codes stay
  });
});
