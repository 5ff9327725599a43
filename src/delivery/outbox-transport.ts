import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MailTransport, OutgoingMessage, SendReceipt } from './mail-transport.ts';
import { TransportError } from './transport-error.ts';

/** `weekly/2026-11-28T07:00:00+01:00` → `weekly_2026-11-28T07-00-00+01-00`: safe on every file system. */
export function editionFolderName(editionId: string): string {
  return editionId.replace(/[^A-Za-z0-9+._-]+/g, (match) => (match.includes('/') ? '_' : '-'));
}

/**
 * The default transport: each message becomes an `.eml` file in one folder per
 * edition, written to a temporary name and renamed, so a crash never leaves half a file
 * under a final name.
 */
export class OutboxTransport implements MailTransport {
  constructor(private readonly dir: string) {}

  async send(message: OutgoingMessage): Promise<SendReceipt> {
    const folder = path.join(this.dir, editionFolderName(message.editionId));
    const local = message.messageId.replace(/^<|@.*$/g, '').replace(/[^A-Za-z0-9._-]/g, '-');
    const file = path.join(folder, `${message.subscriberId}-${local}.eml`);
    const temp = `${file}.tmp`;
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(temp, message.raw);
      await rename(temp, file);
    } catch (error) {
      throw new TransportError('TRANSPORT_TEMPORARY', `cannot write the outbox file: ${(error as Error).message}`, {
        where: file,
        cause: error,
      });
    }
    return { messageId: message.messageId, response: `written to ${file}` };
  }

  async close(): Promise<void> {}
}
