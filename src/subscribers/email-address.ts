import { domainToASCII } from 'node:url';

/**
 * RFC 5322 addr-spec without comments/folding whitespace and without the obsolete
 * forms: the local part is a dot-atom or a quoted string, the domain a host name
 * (Unicode allowed, converted to its ASCII "xn--" form) or an address literal.
 */

const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const DOT_ATOM = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
// qtext (%d32-33 / %d35-91 / %d93-126, space allowed as folded white space) or a quoted-pair.
const QUOTED_STRING = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e\t])*"$/;
// dtext (%d33-90 / %d94-126) between brackets.
const DOMAIN_LITERAL = /^\[[\x21-\x5a\x5e-\x7e]*\]$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type EmailCheck = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Validates an address and returns its canonical form for storage and comparison:
 * lower-cased, the domain in ASCII. Two spellings of one mailbox
 * (`Ann@Bücher.example`, `ann@xn--bcher-kva.example`) give the same canonical form.
 */
export function normalizeEmailAddress(input: string): EmailCheck {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  if (/[\r\n]/.test(text)) return { ok: false, reason: 'must not contain a line break' };
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: `"${text}" has no @` };
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local === '') return { ok: false, reason: `"${text}" has nothing before the @` };
  if (domain === '') return { ok: false, reason: `"${text}" has nothing after the @` };
  if (!DOT_ATOM.test(local) && !QUOTED_STRING.test(local)) {
    return { ok: false, reason: `"${text}": the part before the @ is not a valid local part (RFC 5322)` };
  }
  if (local.length > 64) return { ok: false, reason: `"${text}": the part before the @ is longer than 64 characters` };
  const asciiDomain = normalizeDomain(domain);
  if (asciiDomain === null) return { ok: false, reason: `"${text}": "${domain}" is not a valid domain` };
  const address = `${local.toLowerCase()}@${asciiDomain}`;
  if (address.length > 254) return { ok: false, reason: `"${text}" is longer than 254 characters` };
  return { ok: true, address };
}

function normalizeDomain(domain: string): string | null {
  if (domain.startsWith('[')) return DOMAIN_LITERAL.test(domain) ? domain.toLowerCase() : null;
  // domainToASCII applies UTS #46 (IDNA) mapping and lower-cases; '' means it refused.
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  // A single label (`ann@localhost`) is valid addr-spec but almost always a typo in a list.
  if (labels.length < 2) return null;
  if (!labels.every((label) => LABEL.test(label))) return null;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return ascii;
}
