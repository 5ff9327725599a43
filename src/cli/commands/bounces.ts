import path from 'node:path';
import type { AppContext } from '../../app/context.ts';
import { processBouncesFromContext } from '../../app/process-bounces-from-context.ts';
import { UsageError } from '../../core/errors.ts';
import { parseMailboxLocation } from '../../core/mailbox-location.ts';

/**
 * `tidings bounces process <Maildir | imaps://user@host/INBOX>`: exit 1 when some messages
 * went to the failed folder, or when the mailbox failed half-way (MAILBOX_FAILED, printed by
 * the caller, after the lines of the messages done before it).
 */
export async function runBouncesProcess(ctx: AppContext, mailbox: string): Promise<number> {
  const parsed = parseMailboxLocation(mailbox);
  if (typeof parsed === 'string') throw new UsageError(`bounces process: ${parsed}`);
  const location = parsed.kind === 'maildir' ? { ...parsed, path: path.resolve(parsed.path) } : parsed;
  const report = await processBouncesFromContext(ctx, location, {
    onProcessed: (item) => {
      const where = item.delivery ? `${item.delivery.editionId} subscriber ${item.delivery.subscriberId}` : '-';
      ctx.out(`${item.file}: ${item.outcome} (${where}): ${item.detail}`);
    },
    onFailed: (item, folder) => ctx.err(`${item.file}: moved to ${folder}: ${item.reason}`),
  });
  ctx.out(
    `${report.processed.length} processed (moved to ${report.folders.processed}), ${report.failed.length} failed (moved to ${report.folders.failed})`,
  );
  return report.failed.length ? 1 : 0;
}
