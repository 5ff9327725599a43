import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createMessageBuilder } from '../../src/delivery/message-builder.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { buildSubscriberUrls } from '../../src/delivery/subscriber-token.ts';
import { findVerpDelivery, formatVerpAddress, parseVerpAddress } from '../../src/delivery/verp-address.ts';
import { EDITION } from './support/engine-fixture.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const SECRET = 'verp-test-secret-of-enough-length';
const clock = createFixedClock('2026-11-28T06:30:05Z');
const urls = buildSubscriberUrls(
  'https://news.example.test/',
  { unsubscribe: 'aaa.bbb', preferences: 'ccc.ddd' },
  EDITION,
);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('VERP return path', () => {
  it('sends MAIL FROM bounces+<signed delivery id>@domain that leads back to the delivery; notifications use the plain address', async () => {
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
    });
    cleanups.push(
      () => sink.close(),
      () => transport.close(),
    );
    const options = {
      from: 'news@digest.example.test',
      newsletterId: 'morning',
      newsletterTitle: 'Morning',
      clock,
      returnPath: { address: 'Bounces@Digest.example.test', secret: SECRET },
    };
    const message = {
      editionId: EDITION,
      recipient: { id: 123456, email: 'reader@example.test', name: null },
      content: { subject: 's', html: 'h', text: 't' },
      urls,
    };
    await transport.send(createMessageBuilder(options)(message));
    await transport.send(
      createMessageBuilder({ ...options, kind: 'notification' })({
        ...message,
        recipient: { id: -1, email: 'editor@example.test', name: null },
      }),
    );

    const [digest, notification] = sink.messages;
    expect(digest!.from).toMatch(/^Bounces\+2n9c-[a-z2-7]{13}@digest\.example\.test$/);
    expect(digest!.from.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(notification!.from).toBe('Bounces@digest.example.test');
    // The From header stays the newsletter's address.
    expect(digest!.raw.toString('latin1')).toMatch(/^From: <news@digest\.example\.test>/m);

    const token = parseVerpAddress(digest!.from, 'bounces@digest.example.test')!;
    expect(token.subscriberId).toBe(123456);
    expect(findVerpDelivery(token, ['morning/2026-11-21T07:00:00+01:00', EDITION], SECRET)).toEqual({
      editionId: EDITION,
      subscriberId: 123456,
    });
    // Another secret, another subscriber id with the same MAC, or another edition: no delivery.
    expect(findVerpDelivery(token, [EDITION], 'another-secret')).toBeNull();
    expect(findVerpDelivery({ ...token, subscriberId: 123457 }, [EDITION], SECRET)).toBeNull();
    expect(findVerpDelivery(token, ['morning/2026-11-21T07:00:00+01:00'], SECRET)).toBeNull();
  });

  it('reads only addresses at the return path, whatever the case a server folded them to', () => {
    const address = formatVerpAddress('bounces@example.test', { editionId: EDITION, subscriberId: 7 }, SECRET);
    expect(parseVerpAddress(`<${address.toUpperCase()}>`, 'bounces@example.test')).toMatchObject({ subscriberId: 7 });
    expect(parseVerpAddress(address.replace('bounces', 'other'), 'bounces@example.test')).toBeNull();
    expect(parseVerpAddress(address.replace('example.test', 'evil.test'), 'bounces@example.test')).toBeNull();
    expect(parseVerpAddress('bounces@example.test', 'bounces@example.test')).toBeNull();
  });
});
