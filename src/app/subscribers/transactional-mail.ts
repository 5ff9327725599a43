import { randomBytes } from 'node:crypto';
import type { NewsletterConfig } from '../../config/schema.ts';
import type { OutgoingMessage } from '../../delivery/mail-transport.ts';
import {
  alternativeBodyLines,
  encodeWords,
  formatDate,
  formatMailbox,
  parseMailbox,
  singleLine,
} from '../../delivery/mime-headers.ts';

export interface TransactionalMail {
  newsletter: Pick<NewsletterConfig, 'from' | 'replyTo'>;
  to: { email: string; name?: string | null };
  subject: string;
  text: string;
  html: string;
  at: Date;
  /** What the Message-ID says the mail is (`signup`, `welcome`): it reads in a mail log. */
  purpose: string;
  /** Headers after Message-ID (already single lines), e.g. List-Unsubscribe. */
  extraHeaders?: readonly string[];
  editionId: string;
  subscriberId: number;
}

/**
 * One mail to one reader outside the digest (signup confirmation, welcome): from the
 * newsletter's sender, its Reply-To, every header value on one line, `Auto-Submitted`, and
 * a text and an HTML part. The digest has its own builder (delivery/message-builder.ts).
 */
export function buildTransactionalMail(mail: TransactionalMail): OutgoingMessage {
  const sender = parseMailbox(mail.newsletter.from, 'newsletter.from');
  const domain = sender.address.slice(sender.address.lastIndexOf('@') + 1);
  const messageId = `<${randomBytes(12).toString('base64url')}.${mail.purpose}@${domain}>`;
  const replyTo = mail.newsletter.replyTo ? parseMailbox(mail.newsletter.replyTo, 'newsletter.replyTo') : null;
  const boundary = `--=_tidings_${randomBytes(12).toString('base64url')}`;
  const raw = [
    `From: ${formatMailbox(sender.name, sender.address)}`,
    ...(replyTo ? [`Reply-To: ${formatMailbox(replyTo.name, replyTo.address)}`] : []),
    `To: ${formatMailbox(mail.to.name ? singleLine(mail.to.name) : null, mail.to.email)}`,
    `Subject: ${encodeWords(mail.subject)}`,
    `Date: ${formatDate(mail.at)}`,
    `Message-ID: ${messageId}`,
    ...(mail.extraHeaders ?? []),
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    ...alternativeBodyLines(boundary, mail.text, mail.html),
  ].join('\r\n');
  return {
    messageId,
    envelope: { from: sender.address, to: mail.to.email },
    raw: Buffer.from(raw, 'latin1'),
    editionId: mail.editionId,
    subscriberId: mail.subscriberId,
  };
}
