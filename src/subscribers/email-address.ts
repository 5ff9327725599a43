import { domainToASCII } from 'node:url';

/**
 * The one address rule of Tidings, used by `subscribers validate`, `sync`, any signup,
 * `send --test` and the message builder, so an address the lists accept is one every
 * send can use:
 * - the local part is a dot-atom (RFC 5322 atext separated by single dots), ASCII;
 * - the domain is a host name of at least two labels (Unicode allowed, converted to its
 *   ASCII "xn--" form), not ending in a number.
 * Refused with a reason: quoted local parts (`"john doe"@example.com`) and address
 * literals (`user@[192.0.2.1]`), which RFC 5322 allows but which mail providers, list
 * tools and many SMTP servers do not handle, and which signup forms never need.
 */

const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const DOT_ATOM = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type EmailCheck = { ok: true; address: string } | { ok: false; reason: string };

/** An address that follows the rule, split; its case as given, the domain in ASCII. */
export type EmailParts = { ok: true; local: string; domain: string } | { ok: false; reason: string };

/** Applies the rule and splits the address, keeping the local part's case (for From headers). */
export function checkEmailAddress(input: string): EmailParts {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'is empty' };
  if (/[\r\n]/.test(text)) return { ok: false, reason: 'must not contain a line break' };
  const at = text.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: `"${text}" has no @` };
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local === '') return { ok: false, reason: `"${text}" has nothing before the @` };
  if (domain === '') return { ok: false, reason: `"${text}" has nothing after the @` };
  if (local.startsWith('"')) {
    return {
      ok: false,
      reason: `"${text}": quoted local parts are not accepted ("…"@domain); use a plain address such as john.doe@example.com`,
    };
  }
  if (!DOT_ATOM.test(local)) {
    return {
      ok: false,
      reason: `"${text}": the part before the @ is not a valid local part (letters, digits, dots and !#$%&'*+-/=?^_\`{|}~)`,
    };
  }
  if (local.length > 64) return { ok: false, reason: `"${text}": the part before the @ is longer than 64 characters` };
  if (domain.startsWith('[')) {
    return {
      ok: false,
      reason: `"${text}": address literals (an IP address in brackets) are not accepted; use a domain name`,
    };
  }
  const asciiDomain = normalizeDomain(domain);
  if (asciiDomain === null) return { ok: false, reason: `"${text}": "${domain}" is not a valid domain` };
  if (local.length + 1 + asciiDomain.length > 254)
    return { ok: false, reason: `"${text}" is longer than 254 characters` };
  return { ok: true, local, domain: asciiDomain };
}

/**
 * Validates an address and returns its canonical form for storage and comparison:
 * lower-cased, the domain in ASCII. Two spellings of one mailbox
 * (`Ann@Bücher.example`, `ann@xn--bcher-kva.example`) give the same canonical form.
 */
export function normalizeEmailAddress(input: string): EmailCheck {
  const parts = checkEmailAddress(input);
  if (!parts.ok) return parts;
  return { ok: true, address: `${parts.local.toLowerCase()}@${parts.domain}` };
}

function normalizeDomain(domain: string): string | null {
  // domainToASCII applies UTS #46 (IDNA) mapping and lower-cases; '' means it refused.
  const ascii = domainToASCII(domain);
  if (ascii === '' || ascii.length > 253) return null;
  const labels = ascii.split('.');
  // A single label (`ann@localhost`) is valid addr-spec but almost always a typo in a list.
  if (labels.length < 2) return null;
  if (!labels.every((label) => LABEL.test(label))) return null;
  // `user@192.0.2.1` without brackets: an IP address, not a domain.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return ascii;
}
