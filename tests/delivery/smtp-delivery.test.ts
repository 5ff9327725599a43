import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sendEdition } from '../../src/delivery/send-edition.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { verifySubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { baseOptions, buildDeps, EDITION, makeRecipients, SECRET, tempLedger } from './support/engine-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sinkAndTransport(
  behaviour: Parameters<typeof startSmtpSink>[0] = {},
  dkim?: { domain: string; selector: string; privateKey: string },
) {
  const sink = await startSmtpSink(behaviour);
  const transport = new SmtpTransport({
    url: sink.url,
    maxConnections: 3,
    maxMessages: 50,
    rateLimit: 1000,
    tls: { rejectUnauthorized: false },
    dkim,
    connectionTimeoutMs: 5000,
    greetingTimeoutMs: 5000,
    socketTimeoutMs: 5000,
  });
  cleanups.push(
    () => sink.close(),
    () => transport.close(),
  );
  return { sink, transport };
}

function perRecipient(sink: SmtpSink): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of sink.messages) for (const to of message.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

describe('sendEdition over real SMTP', () => {
  it('sends one signed, well-formed message per subscriber and renders once per segment', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { sink, transport } = await sinkAndTransport(
      {},
      { domain: 'digest.example.test', selector: 'tid1', privateKey: pem },
    );
    const { ledger } = tempLedger();
    const recipients = makeRecipients(12, 3);
    const deps = buildDeps(ledger, transport, recipients);
    const result = await sendEdition(deps, baseOptions());

    expect(result).toMatchObject({ accepted: 12, failed: 0, paused: false, segmentsRendered: 3 });
    expect([...deps.renders.values()]).toEqual([1, 1, 1]);
    expect(sink.messages).toHaveLength(12);
    expect([...perRecipient(sink).values()].every((n) => n === 1)).toBe(true);
    expect(await ledger.counts(EDITION)).toMatchObject({ accepted: 12, sending: 0, pending: 0 });

    const message = sink.messages.find((m) => m.to[0] === 'reader5@example.test')!;
    const mail = await simpleParser(message.raw);
    expect(mail.from?.value[0]).toMatchObject({ address: 'news@digest.example.test', name: 'Morning Digest' });
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : null).toMatchObject({
      address: 'reader5@example.test',
      name: 'Reader 5',
    });
    expect(mail.replyTo?.value[0]?.address).toBe('editor@digest.example.test');
    expect(mail.subject).toBe('Morning digest · seg-1');
    expect(mail.date?.toISOString()).toBe('2026-11-28T06:00:00.000Z');
    expect(mail.messageId).toMatch(/^<[^@<>\s]+\.5@digest\.example\.test>$/);
    const list = mail.headers.get('list') as unknown as {
      id: { name: string; id: string };
      unsubscribe: { url: string; mail: string };
      'unsubscribe-post': { name: string };
    };
    expect(list.id).toEqual({ name: 'Morning Digest', id: 'morning.digest.example.test' });
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    expect(mail.html).toContain('Hello Reader 5, segment seg-1 — café ✓');
    expect(mail.text).toContain('Hello Reader 5, segment seg-1 — café ✓');
    const headerText = message.raw.toString('utf8').split('\r\n\r\n')[0]!;
    expect(headerText).toMatch(/Content-Type: multipart\/alternative; boundary=/);
    const parts = message.raw.toString('utf8').match(/Content-Type: text\/(plain|html); charset=utf-8/g);
    expect(parts).toEqual(['Content-Type: text/plain; charset=utf-8', 'Content-Type: text/html; charset=utf-8']);

    // List-Unsubscribe: an https URL with a valid token for this subscriber, and a mailto.
    const httpsUrl = /^https:\/\/news\.example\.test\/u\/(.+)$/.exec(list.unsubscribe.url);
    expect(httpsUrl).not.toBeNull();
    expect(verifySubscriberToken(httpsUrl![1]!, SECRET)).toMatchObject({
      subscriberId: 5,
      newsletterId: 'morning',
      purpose: 'unsubscribe',
    });
    // The mailto subject carries the same signed token.
    expect(list.unsubscribe.mail).toBe(`unsubscribe@digest.example.test?subject=unsubscribe-${httpsUrl![1]!}`);
    expect(list.unsubscribe.mail).toMatch(
      /^unsubscribe@digest\.example\.test\?subject=unsubscribe-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
    expect(mail.html).toContain(list.unsubscribe.url);

    // DKIM: verified against the public key as DNS would publish it.
    const dnsKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const resolver = async (name: string, type: string) => {
      if (type === 'TXT' && name === 'tid1._domainkey.digest.example.test') return [[`v=DKIM1; k=rsa; p=${dnsKey}`]];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    const verification = await dkimVerify(message.raw, { resolver } as never);
    expect(verification.results[0]?.status.result).toBe('pass');
    expect(verification.results[0]?.signingDomain).toBe('digest.example.test');
    // The check can fail: one changed body character breaks the signature.
    const text = message.raw.toString('latin1');
    const partStart = /Content-Transfer-Encoding: [\w-]+\r\n\r\n/.exec(text)!;
    const at = partStart.index + partStart[0].length;
    const tampered = Buffer.from(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1), 'latin1');
    const broken = await dkimVerify(tampered, { resolver } as never);
    expect(broken.results[0]?.status.result).not.toBe('pass'); // mailauth says 'neutral' for a body hash mismatch

    // The ledger remembers what each subscriber received.
    expect(await ledger.receivedArticleIds(5, ['a-seg-1-1', 'a-seg-0-1'])).toEqual(new Set(['a-seg-1-1']));
    const row = (await ledger.list(EDITION, 'accepted')).find((r) => r.subscriberId === 5)!;
    expect(row.messageId).toBe(mail.messageId);
    expect(row.response).toMatch(/^250/);
  });

  it('records 550 rejections as permanent failures without retrying, and reports them', async () => {
    const rejected = new Set(['reader2@example.test', 'reader7@example.test']);
    const { sink, transport } = await sinkAndTransport({
      onRcpt: (address) => (rejected.has(address) ? { code: 550, text: '5.1.1 No such user' } : undefined),
    });
    const { ledger } = tempLedger();
    const rejections: number[] = [];
    const accepted: number[] = [];
    const deps = buildDeps(ledger, transport, makeRecipients(10), {
      onPermanentRejection: (r) => void rejections.push(r.id),
      onAccepted: (r) => void accepted.push(r.id),
    });
    const result = await sendEdition(deps, baseOptions());
    expect(result).toMatchObject({ accepted: 8, failed: 2, paused: false });
    expect(rejections.sort()).toEqual([2, 7]);
    expect(accepted).toHaveLength(8);
    expect(sink.rcptAttempts.get('reader2@example.test')).toBe(1);
    const failed = await ledger.list(EDITION, 'failed');
    expect(failed.map((r) => [r.subscriberId, r.errorCode, r.retryable])).toEqual([
      [2, 'TRANSPORT_PERMANENT', false],
      [7, 'TRANSPORT_PERMANENT', false],
    ]);
    expect(failed[0]!.response).toMatch(/550.*No such user/);
    // A rerun sends nothing again: permanent failures stay failed, accepted rows stay accepted.
    const again = await sendEdition(buildDeps(ledger, transport, makeRecipients(10)), baseOptions());
    expect(again).toMatchObject({ accepted: 0, failed: 0, alreadyDone: 10 });
    expect(sink.messages).toHaveLength(8);
  });

  it('retries 451 with backoff and records the message once it is accepted', async () => {
    const seen = new Map<string, number>();
    const { sink, transport } = await sinkAndTransport({
      onData: (message) => {
        const to = message.to[0]!;
        seen.set(to, (seen.get(to) ?? 0) + 1);
        return seen.get(to) === 1 ? { code: 451, text: '4.3.0 Temporary local problem' } : undefined;
      },
    });
    const { ledger } = tempLedger();
    const sleeps: number[] = [];
    const deps = buildDeps(ledger, transport, makeRecipients(6), { sleep: async (ms) => void sleeps.push(ms) });
    const result = await sendEdition(deps, baseOptions());
    expect(result).toMatchObject({ accepted: 6, failed: 0 });
    expect(sink.messages).toHaveLength(6);
    expect(sleeps).toHaveLength(6);
    // attempt 1: initial 10 ms with equal jitter at random 0.5 → 5 + 2.5
    expect(sleeps.every((ms) => ms === 8)).toBe(true);
    expect((await ledger.list(EDITION, 'accepted')).every((r) => r.attempts === 1)).toBe(true);
  });

  it('slows down on throttling replies without spending attempts', async () => {
    let throttled = 0;
    const { sink, transport } = await sinkAndTransport({
      onData: () => (throttled++ < 4 ? { code: 451, text: '4.7.1 Rate limit exceeded, slow down' } : undefined),
    });
    let slowDowns = 0;
    const original = transport.slowDown.bind(transport);
    transport.slowDown = () => {
      slowDowns++;
      original();
    };
    const { ledger } = tempLedger();
    const result = await sendEdition(
      buildDeps(ledger, transport, makeRecipients(3)),
      baseOptions({
        maxConnections: 1,
        delivery: { maxAttempts: 1, backoffInitial: 1, backoffMax: 5, maxConsecutiveFailures: 2 },
      }),
    );
    expect(result).toMatchObject({ accepted: 3, failed: 0, paused: false });
    expect(slowDowns).toBe(4);
    expect(sink.messages).toHaveLength(3);
  });

  it('keeps at most maxConnections rows sending against a slow server', async () => {
    const { sink, transport } = await sinkAndTransport({ delayMs: 60 });
    const { ledger } = tempLedger();
    let maxSending = 0;
    const deps = buildDeps(ledger, transport, makeRecipients(15));
    const poll = setInterval(() => {
      void ledger.counts(EDITION).then((c) => (maxSending = Math.max(maxSending, c.sending)));
    }, 5);
    const result = await sendEdition(deps, baseOptions({ maxConnections: 3 }));
    clearInterval(poll);
    expect(result.accepted).toBe(15);
    expect(sink.messages).toHaveLength(15);
    expect(maxSending).toBeGreaterThan(0);
    expect(maxSending).toBeLessThanOrEqual(3);
  });
});
