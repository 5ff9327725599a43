import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createMessageBuilder } from '../../src/delivery/message-builder.ts';
import { OutboxTransport, editionFolderName } from '../../src/delivery/outbox-transport.ts';
import { buildSubscriberUrls } from '../../src/delivery/subscriber-token.ts';
import { EDITION, tempLedger } from './support/engine-fixture.ts';

const clock = createFixedClock('2026-11-28T06:30:05Z');
const urls = buildSubscriberUrls('https://news.example.test/', { unsubscribe: 'tok-u', preferences: 'tok-p' }, EDITION);
const build = createMessageBuilder({
  from: '"Morning Digest" <news@digest.example.test>',
  newsletterId: 'morning',
  newsletterTitle: 'Morning Digest',
  clock,
  subjectMaxLength: 40,
});

function headerNames(raw: string): string[] {
  const head = raw.split('\r\n\r\n')[0]!;
  return head
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')));
}

describe('createMessageBuilder', () => {
  it('writes no extra header for newlines in names and subjects', async () => {
    const message = build({
      editionId: EDITION,
      recipient: { id: 9, email: 'victim@example.test', name: 'Eve\r\nBcc: spy@evil.test\nX-Injected: 1' },
      content: { subject: 'News\r\nBcc: spy@evil.test\r\n\r\nbody?', html: '<p>x</p>', text: 'x' },
      urls: { ...urls, unsubscribeUrl: 'https://news.example.test/u/t\r\nX-Evil: 1' },
    });
    const raw = message.raw.toString('latin1');
    const names = headerNames(raw);
    expect(names).toEqual([
      'From',
      'List-Id',
      'List-Unsubscribe-Post',
      'Precedence',
      'MIME-Version',
      'To',
      'Subject',
      'Date',
      'Message-ID',
      'List-Unsubscribe',
      'Feedback-ID',
      'Content-Type',
    ]);
    expect(raw).not.toMatch(/^(Bcc|X-Injected|X-Evil):/im);
    const mail = await simpleParser(message.raw);
    expect(mail.bcc).toBeUndefined();
    expect(mail.subject).toBe('News Bcc: spy@evil.test body?');
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(message.envelope).toEqual({ from: 'news@digest.example.test', to: 'victim@example.test' });
  });

  it('encodes non-ASCII names and subjects, caps the subject, and dates in RFC 5322 form', async () => {
    const message = build({
      editionId: EDITION,
      recipient: { id: 1, email: 'zoe@example.test', name: "Zoë «Ü» O'Brien, Jr." },
      content: { subject: `Ünïcödé headlines — ${'x'.repeat(80)}`, html: '<p>é</p>', text: 'é' },
      urls,
    });
    const raw = message.raw.toString('latin1');
    expect(raw).toContain('Date: Sat, 28 Nov 2026 06:30:05 +0000');
    expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    const mail = await simpleParser(message.raw);
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : undefined;
    expect(to).toEqual({ address: 'zoe@example.test', name: "Zoë «Ü» O'Brien, Jr." });
    expect(Array.from(mail.subject!)).toHaveLength(40);
    expect(mail.subject!.endsWith('…')).toBe(true);
    expect(mail.html).toContain('<p>é</p>');
  });

  it('gives every message a unique Message-ID on the sender domain', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      ids.add(
        build({
          editionId: EDITION,
          recipient: { id: 1, email: 'a@example.test', name: null },
          content: { subject: 's', html: 'h', text: 't' },
          urls,
        }).messageId,
      );
    }
    expect(ids.size).toBe(200);
    expect([...ids].every((id) => id.endsWith('@digest.example.test>'))).toBe(true);
  });

  it('refuses an unusable address with a clear error', () => {
    expect(() =>
      build({
        editionId: EDITION,
        recipient: { id: 4, email: 'a@b@c', name: null },
        content: { subject: 's', html: 'h', text: 't' },
        urls,
      }),
    ).toThrow(/subscriber 4: not a usable e-mail address/);
  });
});

describe('OutboxTransport', () => {
  it('writes one parseable .eml per message into a folder per edition, with no temp files left', async () => {
    const { dir } = tempLedger();
    const outbox = new OutboxTransport(path.join(dir, 'outbox'));
    const message = build({
      editionId: EDITION,
      recipient: { id: 3, email: 'c@example.test', name: 'C' },
      content: { subject: 'Hi', html: '<b>hi</b>', text: 'hi' },
      urls,
    });
    const receipt = await outbox.send(message);
    const folder = path.join(dir, 'outbox', editionFolderName(EDITION));
    expect(editionFolderName(EDITION)).toBe('morning_2026-11-28T07-00-00+01-00');
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^3-.+\.eml$/);
    expect(receipt.messageId).toBe(message.messageId);
    const mail = await simpleParser(readFileSync(path.join(folder, files[0]!)));
    expect(mail.subject).toBe('Hi');
    expect(mail.text?.trim()).toBe('hi');
  });

  it('offers the mailto unsubscribe only with a signed token in the subject, and List-Archive for a public archive', async () => {
    const withMailto = createMessageBuilder({
      from: 'news@digest.example.test',
      newsletterId: 'morning',
      newsletterTitle: 'Morning Digest',
      clock,
      unsubscribeMailto: 'mailto:leave@digest.example.test',
      archiveUrl: 'https://news.example.test/archive/morning\r\nX-Evil: 1',
    });
    const input = {
      editionId: EDITION,
      recipient: { id: 9, email: 'ann@example.test', name: null },
      content: { subject: 's', html: '<p>x</p>', text: 'x' },
    };
    const signed = withMailto({
      ...input,
      urls: { ...urls, unsubscribeToken: 'cGF5bG9hZA.c2lnbmF0dXJl' },
    }).raw.toString('latin1');
    expect(signed).toContain('<mailto:leave@digest.example.test?subject=unsubscribe-cGF5bG9hZA.c2lnbmF0dXJl>');
    expect(signed).toContain('List-Archive: <https://news.example.test/archive/morning%20X-Evil:%201>');
    expect(signed).not.toMatch(/^X-Evil:/m);
    // No token (or not a token's shape): no mailto at all, never a bare subscriber number.
    for (const unsubscribeToken of [undefined, 'x>\r\nBcc: a@b.test']) {
      const raw = withMailto({ ...input, urls: { ...urls, unsubscribeToken } }).raw.toString('latin1');
      expect(raw).not.toContain('mailto:');
      expect(raw).not.toMatch(/^Bcc:/m);
    }
    const mail = await simpleParser(Buffer.from(signed, 'latin1'));
    expect((mail.headers.get('list') as { unsubscribe?: { mail?: string } }).unsubscribe?.mail).toBe(
      'leave@digest.example.test?subject=unsubscribe-cGF5bG9hZA.c2lnbmF0dXJl',
    );
  });
});
