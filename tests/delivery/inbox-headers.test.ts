import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import {
  createMessageBuilder,
  formatFeedbackId,
  type MessageBuilderOptions,
} from '../../src/delivery/message-builder.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { buildSubscriberUrls } from '../../src/delivery/subscriber-token.ts';
import { buildConfirmationMessage } from '../../src/app/subscribers/confirmation-message.ts';
import { EDITION } from './support/engine-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

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

async function openSink(): Promise<{ sink: SmtpSink; transport: SmtpTransport }> {
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
  return { sink, transport };
}

async function sendThrough(options: Partial<MessageBuilderOptions>): Promise<ParsedMail> {
  const { sink, transport } = await openSink();
  const build = createMessageBuilder({
    from: '"Morning Digest" <news@digest.example.test>',
    newsletterId: 'morning',
    newsletterTitle: 'Morning Digest',
    unsubscribeMailto: 'unsubscribe@digest.example.test',
    clock,
    ...options,
  });
  await transport.send(
    build({
      editionId: EDITION,
      recipient: { id: 7, email: 'reader@example.test', name: 'Reader' },
      content: { subject: 'Today', html: '<p>x</p>', text: 'x' },
      urls,
    }),
  );
  expect(sink.messages).toHaveLength(1);
  return simpleParser(sink.messages[0]!.raw);
}

describe('inbox headers, read back from a real SMTP server', () => {
  it('marks the digest bulk, with Feedback-ID, List-Id, one-click List-Unsubscribe and List-Archive, and no Auto-Submitted', async () => {
    const mail = await sendThrough({ archiveUrl: 'https://news.example.test/archive/morning' });
    expect(mail.headers.get('precedence')).toBe('bulk');
    expect(mail.headers.get('feedback-id')).toBe('2026-11-28T070000+0100:morning:digest.example.test:tidings');
    expect(mail.headers.has('auto-submitted')).toBe(false);
    const list = mail.headers.get('list') as Record<string, Record<string, string>>;
    expect(list.id).toEqual({ name: 'Morning Digest', id: 'morning.digest.example.test' });
    expect(list.unsubscribe).toMatchObject({ url: 'https://news.example.test/u/aaa.bbb' });
    expect(list['unsubscribe-post']).toMatchObject({ name: 'List-Unsubscribe=One-Click' });
    expect(list.archive).toMatchObject({ url: 'https://news.example.test/archive/morning' });
  });

  it('leaves List-Archive out for a newsletter whose archive is not public', async () => {
    const mail = await sendThrough({});
    const list = mail.headers.get('list') as Record<string, unknown>;
    expect(list.archive).toBeUndefined();
    expect(mail.headers.get('precedence')).toBe('bulk');
  });

  it('marks an editor notification auto-generated, not bulk, without Feedback-ID', async () => {
    const mail = await sendThrough({ kind: 'notification' });
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.has('precedence')).toBe(false);
    expect(mail.headers.has('feedback-id')).toBe(false);
  });

  it('marks a signup confirmation auto-generated', async () => {
    const { sink, transport } = await openSink();
    await transport.send(
      buildConfirmationMessage({
        kind: 'confirm',
        newsletter: { id: 'morning', title: 'Morning Digest', from: 'news@digest.example.test', replyTo: undefined },
        to: { email: 'new@example.test', name: null },
        locale: 'en',
        confirmUrl: 'https://news.example.test/c/x',
        at: clock.now(),
      }),
    );
    const mail = await simpleParser(sink.messages[0]!.raw);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.has('precedence')).toBe(false);
  });

  it('keeps Feedback-ID fields to a header-safe set: no colons, spaces or newlines from configured values', () => {
    const value = formatFeedbackId('odd/2026-01-01T07:00:00Z', 'news:letter\r\nX-Evil: 1', 'sender id');
    expect(value).toBe('2026-01-01T070000Z:newsletter-X-Evil-1:sender-id:tidings');
    expect(value.split(':')).toHaveLength(4);
  });
});
