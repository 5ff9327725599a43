import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createMessageBuilder } from '../../src/delivery/message-builder.ts';
import { createMailTransport, SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { buildSubscriberUrls } from '../../src/delivery/subscriber-token.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION } from './support/engine-fixture.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const clock = createFixedClock('2026-11-28T06:30:05Z');
const signedAt = Date.parse('2026-11-28T06:30:05Z') / 1000;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const dnsKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const resolver = async (name: string, type: string) => {
  if (type === 'TXT' && name === 'tid1._domainkey.digest.example.test') return [[`v=DKIM1; k=rsa; p=${dnsKey}`]];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};
/** The fields mailauth reports that its type declarations leave out. */
interface TimedResult {
  status: { result: string };
  signTime: string | null;
  expiresAfter: string | null;
  signatureTimeValid: boolean;
}
const verify = async (raw: Buffer, at: string) =>
  (await dkimVerify(raw, { resolver, curTime: new Date(at) } as never)) as unknown as { results: TimedResult[] };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const tempDir = useTempDir('dkim-');

async function signedThroughSmtp(expiresMs?: number): Promise<Buffer> {
  const sink = await startSmtpSink();
  const transport = new SmtpTransport({
    url: sink.url,
    maxConnections: 1,
    maxMessages: 10,
    rateLimit: 1000,
    tls: { rejectUnauthorized: false },
    connectionTimeoutMs: 5000,
    greetingTimeoutMs: 5000,
    socketTimeoutMs: 5000,
    clock,
    dkim: {
      domain: 'digest.example.test',
      selector: 'tid1',
      privateKey: pem,
      ...(expiresMs === undefined ? {} : { expiresMs }),
    },
  });
  cleanups.push(
    () => sink.close(),
    () => transport.close(),
  );
  const build = createMessageBuilder({
    from: '"Morning Digest" <news@digest.example.test>',
    newsletterId: 'morning',
    newsletterTitle: 'Morning Digest',
    clock,
  });
  const urls = buildSubscriberUrls(
    'https://news.example.test/',
    { unsubscribe: 'aaa.bbb', preferences: 'ccc.ddd' },
    EDITION,
  );
  await transport.send(
    build({
      editionId: EDITION,
      recipient: { id: 3, email: 'reader@example.test', name: 'Réader' },
      content: { subject: 'Grüße   von  heute', html: '<p>a  b </p>\n\n', text: 'a \t b\n\n\n' },
      urls,
    }),
  );
  return sink.messages[0]!.raw;
}

describe('DKIM signing', () => {
  it('signs with t= and x= (default 7 days) and over-signs From, To, Subject and List-Unsubscribe; mailauth verifies it', async () => {
    const raw = await signedThroughSmtp();
    const result = (await verify(raw, '2026-11-28T07:00:00Z')).results[0]!;
    expect(result.status.result).toBe('pass');
    expect(result.signTime).toBe(new Date(signedAt * 1000).toISOString());
    expect(result.expiresAfter).toBe(new Date((signedAt + 7 * 86400) * 1000).toISOString());
    const header = raw
      .toString('latin1')
      .split('\r\n\r\n')[0]!
      .replace(/\r\n[ \t]/g, ' ');
    const h = /\bh=([^;]+);/.exec(header)![1]!.replace(/\s+/g, '').split(':');
    for (const name of ['from', 'to', 'subject', 'list-unsubscribe'])
      expect(h.filter((n) => n === name)).toHaveLength(2);
    expect(h).toEqual(
      expect.arrayContaining(['feedback-id', 'precedence', 'list-id', 'list-unsubscribe-post', 'date', 'message-id']),
    );
  });

  it('breaks when a second From or Subject is added in transit (over-signing at work)', async () => {
    const raw = await signedThroughSmtp();
    const text = raw.toString('latin1');
    const at = text.indexOf('\r\n\r\n');
    for (const added of ['From: Bank <security@bank.example>', 'Subject: Urgent: verify your account']) {
      const tampered = Buffer.from(`${text.slice(0, at)}\r\n${added}${text.slice(at)}`, 'latin1');
      const result = (await verify(tampered, '2026-11-28T07:00:00Z')).results[0]!;
      expect(result.status.result).not.toBe('pass');
    }
  });

  it('is no longer valid after x=: a configured expiry of 1 day', async () => {
    const raw = await signedThroughSmtp(86_400_000);
    expect((await verify(raw, '2026-11-28T12:00:00Z')).results[0]!.signatureTimeValid).toBe(true);
    const late = (await verify(raw, '2026-11-30T12:00:00Z')).results[0]!;
    expect(late.expiresAfter).toBe(new Date((signedAt + 86400) * 1000).toISOString());
    expect(late.signatureTimeValid).toBe(false);
    expect(late.status.result).not.toBe('pass');
  });

  it('warns at start about a key under 2048 bits, and refuses a key that is not RSA', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const dir = tempDir();
    const keyFile = path.join(dir, 'weak.pem');
    writeFileSync(keyFile, weak);
    const lines: string[] = [];
    const destination = new PassThrough();
    destination.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ level: 'warn', destination });
    const config = {
      type: 'smtp' as const,
      url: 'smtp://127.0.0.1:1',
      client: 'builtin' as const,
      maxConnections: 1,
      maxMessages: 1,
      rateLimit: 1,
      tls: { rejectUnauthorized: true },
      dkim: { domain: 'digest.example.test', selector: 'tid1', keyFile, expiry: 86_400_000 },
      connectionTimeout: 1000,
      greetingTimeout: 1000,
      socketTimeout: 1000,
    };
    const transport = createMailTransport(config, dir, { clock, logger });
    cleanups.push(() => transport.close());
    logger.flush();
    expect(lines.join('')).toMatch(/DKIM key has 1024 bits/);

    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(keyFile, ed);
    expect(() => createMailTransport(config, dir, { clock, logger })).toThrow(/not RSA/);
  });
});
