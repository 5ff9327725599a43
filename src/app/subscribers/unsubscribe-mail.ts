import { readFile } from 'node:fs/promises';
import { listMaildirMessages, moveMaildirMessage } from '../../core/maildir.ts';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describeError, isTidingsError } from '../../core/errors.ts';
import { unsubscribeByToken } from './link-actions.ts';
import type { ServiceCore } from './service-core.ts';
import type { MailUnsubscribeReport } from './subscriber-types.ts';

/** What the List-Unsubscribe mailto puts in the subject; replies may prefix it ("Re: ", "AW: "). */
const TOKEN_IN_SUBJECT = /\bunsubscribe[-\s]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/i;
/** Older mails carried a bare subscriber number: no proof of anything, so not acted on. */
const BARE_NUMBER = /\bunsubscribe\s+\d+\s*$/i;
/** Larger messages are not unsubscribe requests. */
const MAX_BYTES = 256 * 1024;

/**
 * `tidings subscribers unsubscribe-mail <Maildir>`: each message in `new/` and `cur/`
 * whose subject carries a valid signed unsubscribe token unsubscribes that reader and
 * is moved to `.Processed/cur/` (a Maildir++ subfolder, so a mail client shows it);
 * the rest stay where they are and are listed with the reason.
 */
export async function processUnsubscribeMail(core: ServiceCore, maildir: string): Promise<MailUnsubscribeReport> {
  const report: MailUnsubscribeReport = { processed: [], rejected: [] };
  for (const file of await listMaildirMessages(maildir)) {
    const full = path.join(maildir, file);
    let reason: string | null = null;
    try {
      const raw = await readFile(full);
      if (raw.length > MAX_BYTES) {
        reason = `larger than ${MAX_BYTES / 1024} KB: not an unsubscribe request`;
      } else {
        const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
        const subject = (mail.subject ?? '').trim();
        const match = TOKEN_IN_SUBJECT.exec(subject);
        if (!match) {
          reason = BARE_NUMBER.test(subject)
            ? 'old unsigned request (a bare subscriber number): unsubscribe by hand with tidings subscribers unsubscribe EMAIL'
            : `no unsubscribe token in the subject ${JSON.stringify(subject.slice(0, 80))}`;
        } else {
          const change = await unsubscribeByToken(core, match[1]!, 'mail');
          report.processed.push({ file, newsletterId: change.newsletter.id, changed: change.changed });
          await moveMaildirMessage(maildir, file, '.Processed');
          continue;
        }
      }
    } catch (error) {
      reason = isTidingsError(error) ? `${error.code}: ${describeError(error)}` : `unreadable: ${describeError(error)}`;
    }
    report.rejected.push({ file, reason: reason ?? 'unknown' });
  }
  return report;
}
