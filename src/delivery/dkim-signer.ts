import { createHash, createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { TidingsError } from '../core/errors.ts';

/**
 * A small DKIM signer (RFC 6376, rsa-sha256, relaxed/relaxed). Written here because
 * neither nodemailer's signer nor mailauth's sets both `t=`/`x=` and over-signs: a
 * header named once more in `h=` than the message has it (From, To, Subject,
 * List-Unsubscribe) makes a copy added in transit break the signature instead of
 * being shown to the reader. Messages are the builders' CRLF MIME (8-bit bodies are
 * read as latin1, one char per byte, so their bytes are hashed as they are).
 */
export interface DkimOptions {
  domain: string;
  selector: string;
  privateKey: string;
  /** Signatures expire this long after signing (`x=`); 0 leaves `x=` out. */
  expiresMs: number;
}

/** Headers signed once per instance when present. */
const SIGNED_HEADERS = [
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'list-archive',
  'precedence',
  'feedback-id',
  'auto-submitted',
];
/** Named once more than present, so that nobody can add another without breaking the signature. */
export const OVERSIGNED_HEADERS = ['from', 'to', 'subject', 'list-unsubscribe'];

export const MIN_DKIM_BITS = 2048;

/** Signs a message; `bodyHash`, when the builder computed it, spares canonicalizing the whole body here. */
export type DkimSign = (raw: Buffer, bodyHash?: string) => Buffer;

/** Reads the PEM key: RSA only (what every receiver verifies); throws CONFIG_INVALID with `where`. */
export function loadDkimKey(pem: string, where: string): { key: KeyObject; bits: number } {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new TidingsError('CONFIG_INVALID', `the DKIM key cannot be read: ${(error as Error).message}`, {
      where,
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new TidingsError('CONFIG_INVALID', `the DKIM key is ${key.asymmetricKeyType}, not RSA`, { where });
  return { key, bits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
}

interface HeaderField {
  name: string;
  /** The whole field as written, folding included, without the final CRLF. */
  text: string;
}

/** The header block and the body as latin1 strings (one char per byte); the body only when asked for. */
function splitMessage(raw: Buffer, withBody: boolean): { fields: HeaderField[]; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.toString('latin1', 0, end < 0 ? raw.length : end);
  const body = end < 0 || !withBody ? '' : raw.toString('latin1', end + 4);
  const fields: HeaderField[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1]!.text += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')).trim().toLowerCase(), text: line });
  }
  return { fields, body };
}

/** Relaxed header canonicalization (RFC 6376 3.4.2), with the final CRLF. */
export function canonicalHeader(text: string): string {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim().toLowerCase();
  const value = text
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}\r\n`;
}

/** Relaxed body canonicalization (RFC 6376 3.4.4): an empty body stays empty. */
export function canonicalBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

/** `h=`: each signed header once per instance, then the over-signed ones once more. */
function headerList(fields: readonly HeaderField[]): string[] {
  const names: string[] = [];
  for (const name of SIGNED_HEADERS) for (const field of fields) if (field.name === name) names.push(name);
  return [...names, ...OVERSIGNED_HEADERS];
}

/** The header data to sign: for each name in h=, the next instance from the bottom (none: nothing). */
function signedHeaderData(fields: readonly HeaderField[], names: readonly string[]): string {
  const used = new Set<HeaderField>();
  let data = '';
  for (const name of names) {
    for (let i = fields.length - 1; i >= 0; i--) {
      const field = fields[i]!;
      if (field.name !== name || used.has(field)) continue;
      used.add(field);
      data += canonicalHeader(field.text);
      break;
    }
  }
  return data;
}

/** h= folded at colons (FWS is allowed there, never inside a name). */
function foldHeaderList(names: readonly string[]): string {
  const lines: string[] = [];
  let line = 'h=';
  for (const [i, name] of names.entries()) {
    const part = i < names.length - 1 ? `${name}:` : `${name};`;
    if (line.length + part.length > 72) {
      lines.push(line);
      line = '';
    }
    line += part;
  }
  lines.push(line);
  return lines.join('\r\n\t');
}

export function createDkimSigner(options: DkimOptions, clock: Clock): DkimSign {
  const { key } = loadDkimKey(options.privateKey, 'transport.dkim.keyFile');
  const domain = options.domain.trim().toLowerCase();
  const selector = options.selector.trim();
  return (raw, precomputed) => {
    const { fields, body } = splitMessage(raw, precomputed === undefined);
    const bodyHash = precomputed ?? createHash('sha256').update(canonicalBody(body), 'latin1').digest('base64');
    const names = headerList(fields);
    const signedAt = Math.floor(clock.now().getTime() / 1000);
    const tags = [
      'v=1;',
      'a=rsa-sha256;',
      'c=relaxed/relaxed;',
      `d=${domain};`,
      `s=${selector};`,
      `t=${signedAt};`,
      ...(options.expiresMs > 0 ? [`x=${signedAt + Math.ceil(options.expiresMs / 1000)};`] : []),
      foldHeaderList(names),
      `bh=${bodyHash};`,
    ];
    const unsigned = `DKIM-Signature: ${tags.slice(0, 7).join(' ')}\r\n\t${tags.slice(7).join('\r\n\t')}\r\n\tb=`;
    const data = signedHeaderData(fields, names) + canonicalHeader(unsigned).replace(/\r\n$/, '');
    const signature = createSign('RSA-SHA256').update(data, 'latin1').sign(key, 'base64');
    const header = `${unsigned}${(signature.match(/.{1,72}/g) ?? []).join('\r\n\t')}\r\n`;
    return Buffer.concat([Buffer.from(header, 'latin1'), raw]);
  };
}
