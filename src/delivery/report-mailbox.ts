import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listMaildirMessages, moveMaildirMessage } from '../core/maildir.ts';

/** One message waiting in a bounce mailbox. */
export interface MailboxMessage {
  /** How the message is named in the report: `new/1001.host` (Maildir), `uid 12` (IMAP). */
  name: string;
  /** What makes a report count once (delivery_events.report_id); it must survive a rerun. */
  reportId: string;
}

/**
 * The mailbox `tidings bounces process` reads: a local Maildir or a remote IMAP folder.
 * The processor lists, reads, acts and only then moves a message, so a crash or a dropped
 * connection leaves it in place for the next run (which finds it recorded).
 */
export interface ReportMailbox {
  /** Where processed and failed messages go, as the report names them. */
  readonly folders: { processed: string; failed: string };
  list(): Promise<MailboxMessage[]>;
  /** The raw message; at most `maxBytes + 1` bytes of it (enough to tell it is too large). */
  read(message: MailboxMessage, maxBytes: number): Promise<Buffer>;
  move(message: MailboxMessage, to: 'processed' | 'failed'): Promise<void>;
  close(): Promise<void>;
}

/** A Maildir: `new/` and `cur/`, sorted into the Maildir++ folders `.Processed` and `.Failed`. */
export function openMaildirReportMailbox(maildir: string): ReportMailbox {
  return {
    folders: { processed: '.Processed/', failed: '.Failed/' },
    async list() {
      // The unique name without its `:2,flags` info: the same message keeps it when moved.
      return (await listMaildirMessages(maildir)).map((file) => ({
        name: file,
        reportId: path.basename(file).split(':')[0]!,
      }));
    },
    read: (message) => readFile(path.join(maildir, message.name)),
    move: (message, to) => moveMaildirMessage(maildir, message.name, to === 'processed' ? '.Processed' : '.Failed'),
    close: async () => {},
  };
}
