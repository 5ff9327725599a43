import type { AppContext } from '../../app/context.ts';
import { processBouncesFromContext } from '../../app/process-bounces-from-context.ts';

/** `tidings bounces process <Maildir>`: exit 1 when some messages went to .Failed/. */
export async function runBouncesProcess(ctx: AppContext, maildir: string): Promise<number> {
  const report = await processBouncesFromContext(ctx, maildir);
  for (const item of report.processed) {
    const where = item.delivery ? `${item.delivery.editionId} subscriber ${item.delivery.subscriberId}` : '-';
    ctx.out(`${item.file}: ${item.outcome} (${where}): ${item.detail}`);
  }
  for (const item of report.failed) ctx.err(`${item.file}: moved to .Failed/: ${item.reason}`);
  ctx.out(`${report.processed.length} processed (moved to .Processed/), ${report.failed.length} failed (moved to .Failed/)`);
  return report.failed.length ? 1 : 0;
}
