import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { TransportConfig } from '../config/schema.ts';
import { ConfigError } from '../core/errors.ts';

/**
 * Values that were ever published in this repository or its documentation as a
 * `web.secret` (the old quick-start fallback, the examples in the docs). Anyone can read
 * them, so anyone could forge an unsubscribe link signed with one of them.
 * tests/app/link-secret.test.ts checks that every example value in the docs is listed.
 */
export const PUBLIC_SECRETS: ReadonlySet<string> = new Set([
  'insecure-quick-start-secret-change-me',
  'change-me-to-a-long-random-string',
]);

/** The generated secret lives next to the store file under this name. */
export const SECRET_FILE_NAME = 'secret';

export interface LinkSecret {
  value: string;
  /** `config`: web.secret; `file`: read from the data folder; `created`: just written there; `ephemeral`: in memory only. */
  origin: 'config' | 'file' | 'created' | 'ephemeral';
  /** The secret file, for `file` and `created`. */
  file?: string;
}

export interface ResolveSecretOptions {
  /** web.secret, already interpolated; empty means "not set". */
  configured: string | undefined;
  /** The store file, resolved, or ':memory:' (then the secret lives as long as the process). */
  storePath: string;
  configFile: string;
  random?: (bytes: number) => Buffer;
}

/** 32 random bytes in base64url: 43 characters. */
function generate(random: (bytes: number) => Buffer): string {
  return random(32).toString('base64url');
}

/**
 * Decides the secret that signs subscriber links: the configured one, else the one in
 * the data folder, else a new one written there. Two processes starting together agree:
 * the file is written complete under a private name and then hard-linked into place,
 * which fails with EEXIST for the loser (the O_EXCL guarantee without a half-written file).
 */
export function resolveLinkSecret(options: ResolveSecretOptions): LinkSecret {
  const random = options.random ?? randomBytes;
  if (options.configured) return { value: options.configured, origin: 'config' };
  if (options.storePath === ':memory:') return { value: generate(random), origin: 'ephemeral' };
  const file = path.join(path.dirname(options.storePath), SECRET_FILE_NAME);
  const existing = readSecretFile(file, options.configFile);
  if (existing !== null) return { value: existing, origin: 'file', file };
  mkdirSync(path.dirname(file), { recursive: true });
  const value = generate(random);
  const temporary = `${file}.${process.pid}.${random(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${value}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process created it first: use theirs.
    const theirs = readSecretFile(file, options.configFile);
    if (theirs === null) throw error;
    return { value: theirs, origin: 'file', file };
  } finally {
    unlinkSync(temporary);
  }
  return { value, origin: 'created', file };
}

/** The secret in `file`, or null when there is no file; a file too short to be one is a configuration error. */
function readSecretFile(file: string, configFile: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(configFile, [`web.secret: cannot read ${file}: ${(error as Error).message}`]);
  }
  const value = text.trim();
  if (value.length < 16) {
    throw new ConfigError(configFile, [
      `web.secret: ${file} holds no usable secret (fewer than 16 characters); delete it to have a new one created`,
    ]);
  }
  return value;
}

/** True when the file can be read by its group or others (it should be 0600). */
export function isSecretFileShared(file: string): boolean {
  return (statSync(file).mode & 0o077) !== 0;
}

/**
 * A public secret is only warned about for the outbox (files on this machine) and refused
 * for any other transport: SMTP really sends (links signed with it could be forged by
 * anyone), and a transport left unavailable by an unset variable is SMTP in the file.
 */
export function judgePublicSecret(secret: string, transport: TransportConfig['type']): 'ok' | 'warn' | 'refuse' {
  if (!PUBLIC_SECRETS.has(secret)) return 'ok';
  return transport === 'outbox' ? 'warn' : 'refuse';
}
