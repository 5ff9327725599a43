import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { OutgoingMessage } from './mail-transport.ts';
import {
  alternativeBodyLines,
  capLength,
  encodePhrase,
  encodeWords,
  formatDate,
  formatMailbox,
  normalizeAddress,
  parseMailbox,
  singleLine,
} from './mime-headers.ts';
import type { SubscriberUrls } from './subscriber-token.ts';
import { formatVerpAddress } from './verp-address.ts';

export interface MessageBuilderOptions {
  /** `Name <address>` or a bare address, from the newsletter's configuration. */
  from: string;
  replyTo?: string | undefined;
  newsletterId: string;
  newsletterTitle: string;
  /** Address for the mailto form of List-Unsubscribe (web.unsubscribeMailto). */
  unsubscribeMailto?: string | undefined;
  /** The public archive's URL (List-Archive, RFC 2369) when the newsletter has `public: true`. */
  archiveUrl?: string | undefined;
  /** Longest subject in characters; longer ones are cut with an ellipsis. */
  subjectMaxLength?: number;
  clock: Clock;
  /** Unique part of Message-IDs (tests may make it predictable). */
  uniqueId?: () => string;
  /**
   * 'digest' (default): bulk mail to subscribers, with Precedence: bulk and Feedback-ID.
   * 'notification': an automatic mail to one person (editor approval requests): it says
   * Auto-Submitted: auto-generated (RFC 3834) so that vacation responders stay quiet, and
   * is not marked bulk. It carries no List-* fields: it is not list mail, and an
   * unsubscribe link would point at nobody (RFC 2369, RFC 8058).
   */
  kind?: 'digest' | 'notification';
  /** The sender id field of Feedback-ID (default: the From domain). */
  senderId?: string;
  /**
   * transport.returnPath: the envelope sender. Digests get a VERP address per delivery
   * (`bounces+<signed id>@domain`, verp-address.ts) signed with `secret`; notifications the plain address.
   */
  returnPath?: { address: string; secret: string } | undefined;
  /** A test copy (`tidings send --test`): "[TEST]" before the subject, inside its length cap. */
  test?: boolean | undefined;
}

/**
 * Unique ids from one random prefix per builder and a counter: as unique as a random id
 * per message (the prefix is 96 random bits) for one call to the system's RNG per run.
 */
export function createUniqueIds(): () => string {
  const prefix = randomBytes(12).toString('base64url');
  let count = 0;
  return () => `${prefix}${(++count).toString(36)}`;
}

/** A Feedback-ID field: colons separate the fields, so each value keeps only a safe ASCII set. */
export function feedbackIdField(value: string): string {
  return (
    singleLine(value)
      .replace(/:/g, '')
      .replace(/[^A-Za-z0-9._+-]+/g, '-')
      .slice(0, 64) || '-'
  );
}

/**
 * `Feedback-ID: <edition slot>:<newsletter>:<sender id>:tidings` (Gmail's feedback loop
 * groups complaints by these fields, the last one naming the sending system).
 */
export function formatFeedbackId(editionId: string, newsletterId: string, senderId: string): string {
  const slot = editionId.slice(editionId.lastIndexOf('/') + 1);
  return [slot, newsletterId, senderId].map(feedbackIdField).concat('tidings').join(':');
}

export interface MessageInput {
  editionId: string;
  recipient: { id: number; email: string; name: string | null };
  /** The personalized content: subject, HTML and plain text. */
  content: { subject: string; html: string; text: string };
  urls: SubscriberUrls;
}

export type BuildMessage = (input: MessageInput) => OutgoingMessage;

/** What the headers of one message need: the personalized subject, not the bodies. */
export interface HeadInput {
  editionId: string;
  recipient: MessageInput['recipient'];
  subject: string;
  urls: SubscriberUrls;
}

/** The header block of one message (CRLF-joined, without Content-Type and the blank line) and its envelope. */
export interface MessageHead {
  messageId: string;
  envelope: { from: string; to: string };
  head: string;
}

/**
 * Writes the headers of each message: the fixed ones (From, Reply-To, List-Id) are
 * formatted once per writer; To, Subject, Message-ID, List-Unsubscribe, Feedback-ID
 * and the VERP return path per message, every value through `singleLine`.
 */
export function createHeadWriter(options: MessageBuilderOptions): (input: HeadInput) => MessageHead {
  const sender = parseMailbox(options.from, 'newsletter.from');
  const domain = sender.address.slice(sender.address.lastIndexOf('@') + 1);
  const replyTo = options.replyTo ? parseMailbox(options.replyTo, 'newsletter.replyTo') : null;
  const mailto = options.unsubscribeMailto
    ? normalizeAddress(options.unsubscribeMailto.replace(/^mailto:/i, ''), 'web.unsubscribeMailto')
    : null;
  const maxSubject = options.subjectMaxLength ?? 200;
  const uniqueId = options.uniqueId ?? createUniqueIds();
  const kind = options.kind ?? 'digest';
  const fixedHeaders = [
    `From: ${formatMailbox(sender.name, sender.address)}`,
    ...(replyTo ? [`Reply-To: ${formatMailbox(replyTo.name, replyTo.address)}`] : []),
    ...(kind === 'digest'
      ? [`List-Id: ${encodePhrase(options.newsletterTitle)} <${options.newsletterId}.${domain}>`]
      : []),
    ...(kind === 'digest' && options.archiveUrl
      ? [`List-Archive: <${new URL(singleLine(options.archiveUrl)).href}>`]
      : []),
    ...(kind === 'digest'
      ? ['List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'Precedence: bulk']
      : ['Auto-Submitted: auto-generated']),
    'MIME-Version: 1.0',
  ].join('\r\n');
  const senderId = options.senderId ?? domain;
  const returnPath = options.returnPath
    ? { ...options.returnPath, address: normalizeAddress(options.returnPath.address, 'transport.returnPath') }
    : null;
  const envelopeFrom = (input: HeadInput): string => {
    if (!returnPath) return sender.address;
    if (kind !== 'digest' || input.recipient.id < 0) return returnPath.address;
    return formatVerpAddress(
      returnPath.address,
      { editionId: input.editionId, subscriberId: input.recipient.id },
      returnPath.secret,
    );
  };

  // Every message of an edition has the same Feedback-ID: formatted once per edition.
  let feedback = { editionId: '', field: '' };
  const feedbackIdOf = (editionId: string): string => {
    if (feedback.editionId !== editionId || !feedback.field)
      feedback = { editionId, field: formatFeedbackId(editionId, options.newsletterId, senderId) };
    return feedback.field;
  };

  return (input) => {
    const where = `subscriber ${input.recipient.id}`;
    const to = normalizeAddress(singleLine(input.recipient.email), where);
    const messageId = `<${uniqueId()}.${input.recipient.id}@${domain}>`;
    const subject = capLength(singleLine(options.test ? `[TEST] ${input.subject}` : input.subject), maxSubject);
    // URL.href percent-encodes anything outside ASCII and drops whitespace and newlines.
    const unsubscribe = [`<${new URL(singleLine(input.urls.unsubscribeUrl)).href}>`];
    // The subject carries the signed token (base64url and a dot: safe in a URL as it is);
    // `tidings subscribers unsubscribe-mail` checks it. Without a token there is no mailto form.
    const token = input.urls.unsubscribeToken;
    if (mailto && token && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token))
      unsubscribe.push(`<mailto:${mailto}?subject=unsubscribe-${token}>`);
    const head = [
      fixedHeaders,
      `To: ${formatMailbox(input.recipient.name, to)}`,
      `Subject: ${encodeWords(subject)}`,
      `Date: ${formatDate(options.clock.now())}`,
      `Message-ID: ${messageId}`,
      ...(kind === 'digest'
        ? [`List-Unsubscribe: ${unsubscribe.join(',\r\n ')}`, `Feedback-ID: ${feedbackIdOf(input.editionId)}`]
        : []),
    ].join('\r\n');
    return { messageId, envelope: { from: envelopeFrom(input), to }, head };
  };
}

/**
 * Builds the raw MIME message from whole personalized bodies (editor notifications):
 * headers per message, both bodies as native base64. An edition's messages, test copies
 * included, use segment-message-builder.ts, which encodes each segment's bodies once.
 */
export function createMessageBuilder(options: MessageBuilderOptions): BuildMessage {
  const writeHead = createHeadWriter(options);
  const uniqueId = options.uniqueId ?? createUniqueIds();
  return (input) => {
    const { messageId, envelope, head } = writeHead({
      editionId: input.editionId,
      recipient: input.recipient,
      subject: input.content.subject,
      urls: input.urls,
    });
    const boundary = `--=_tidings_${uniqueId()}`;
    const raw = [head, ...alternativeBodyLines(boundary, input.content.text, input.content.html)].join('\r\n');
    // Every byte is ASCII here, so latin1 is a plain copy (the SMTP client writes a Buffer to the socket as it is).
    return {
      messageId,
      envelope,
      raw: Buffer.from(raw, 'latin1'),
      editionId: input.editionId,
      subscriberId: input.recipient.id,
    };
  };
}
