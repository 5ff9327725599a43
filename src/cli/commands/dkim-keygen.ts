import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TidingsError, UsageError } from '../../core/errors.ts';

export interface DkimKeygenOptions {
  selector: string;
  domain: string;
  bits: string;
  out?: string | undefined;
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Checks a DNS name label by label: the selector and domain end up in a DNS record and in h= of every mail. */
function checkName(value: string, what: string): string {
  const clean = value.trim().replace(/\.$/, '').toLowerCase();
  // An empty name fails too: ''.split('.') is [''], and LABEL needs a character.
  if (!clean.split('.').every((label) => LABEL.test(label)))
    throw new UsageError(`--${what} must be a DNS name (got "${value}")`);
  return clean;
}

/** The TXT value split into quoted strings of at most 255 characters (one DNS character-string each). */
export function formatDkimTxtRecord(selector: string, domain: string, publicKeyDer: Buffer): string {
  const value = `v=DKIM1; k=rsa; p=${publicKeyDer.toString('base64')}`;
  const strings = value.match(/.{1,255}/g) ?? [value];
  return `${selector}._domainkey.${domain}. IN TXT ( ${strings.map((s) => `"${s}"`).join('\n    ')} )`;
}

/**
 * `tidings dkim keygen`: a PKCS#8 PEM key written with mode 0600 (never over an existing
 * file), then the DNS record and the configuration lines that use it.
 */
export async function runDkimKeygen(
  io: { stdout: { write(text: string): unknown } },
  options: DkimKeygenOptions,
): Promise<number> {
  const selector = checkName(options.selector, 'selector');
  const domain = checkName(options.domain, 'domain');
  const bits = Number(options.bits);
  if (![2048, 3072, 4096].includes(bits))
    throw new UsageError(`--bits must be 2048, 3072 or 4096 (got "${options.bits}")`);
  const file = path.resolve(options.out ?? `dkim-${selector}.pem`);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EEXIST'
        ? 'the file exists (a key is never overwritten)'
        : (error as Error).message;
    throw new TidingsError('INPUT_INVALID', `cannot write the key: ${reason}`, { where: file, cause: error });
  }
  const record = formatDkimTxtRecord(selector, domain, publicKey.export({ type: 'spki', format: 'der' }));
  io.stdout.write(
    `Wrote a ${bits}-bit RSA key to ${file} (mode 0600).\n\n` +
      `Publish this DNS record:\n\n${record}\n\n` +
      `Then in the configuration:\n\ntransport:\n  dkim:\n    domain: ${domain}\n    selector: ${selector}\n    keyFile: ${file}\n`,
  );
  return 0;
}
