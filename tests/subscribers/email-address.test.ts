import { describe, expect, it } from 'vitest';
import { normalizeEmailAddress } from '../../src/subscribers/email-address.ts';

const canonical = (text: string) => {
  const check = normalizeEmailAddress(text);
  return check.ok ? check.address : `INVALID: ${check.reason}`;
};

describe('normalizeEmailAddress', () => {
  it('lower-cases and keeps dot-atom local parts with RFC 5322 specials', () => {
    expect(canonical('Ada.Lovelace@Example.ORG')).toBe('ada.lovelace@example.org');
    expect(canonical("o'brien+news@example.com")).toBe("o'brien+news@example.com");
    expect(canonical('  spaced@example.net  ')).toBe('spaced@example.net');
  });

  it('converts an IDN domain to ASCII so both spellings compare equal', () => {
    expect(canonical('zoe@Bücher.Example')).toBe('zoe@xn--bcher-kva.example');
    expect(canonical('ZOE@xn--bcher-kva.example')).toBe('zoe@xn--bcher-kva.example');
    expect(canonical('иван@пример.рф')).toMatch(/^INVALID: .*local part/);
  });

  it('refuses quoted local parts and address literals, saying why (the one address rule)', () => {
    expect(canonical('"john doe"@example.org')).toMatch(/^INVALID: .*quoted local parts are not accepted/);
    expect(canonical('"a@b"@example.org')).toMatch(/^INVALID: .*quoted local parts/);
    expect(canonical('ops@[192.0.2.1]')).toMatch(/^INVALID: .*address literals .* are not accepted/);
    expect(canonical('ops@[IPv6:2001:db8::1]')).toMatch(/^INVALID: .*address literals/);
  });

  it.each([
    ['plain.example.org', 'has no @'],
    ['@example.org', 'nothing before the @'],
    ['ann@', 'nothing after the @'],
    ['ann..lee@example.org', 'local part'],
    ['.ann@example.org', 'local part'],
    ['ann lee@example.org', 'local part'],
    ['ann@localhost', 'not a valid domain'],
    ['ann@-bad.example', 'not a valid domain'],
    ['ann@exa_mple.org', 'not a valid domain'],
    ['ann@example.123', 'not a valid domain'],
    ['ann@example.org\nBcc: x@example.com', 'line break'],
    [`${'a'.repeat(65)}@example.org`, 'longer than 64'],
  ])('rejects %j (%s)', (input, reason) => {
    const check = normalizeEmailAddress(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain(reason);
  });
});
