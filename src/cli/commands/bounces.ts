import { processBounces } from '../../app/process-bounces.ts';
import type { AppContext } from '../../app/context.ts';
import { requireSecret } from '../../app/edition-pipeline.ts';
import { createSubscriberServiceFromContext } from '../../app/subscribers/create-subscriber-service-from-context.ts';
import { ConfigError } from '../../core/errors.ts';

/** `tidings bounces process <Maildir>`: exit 1 when some messages went to .Failed/. */
export async function runBouncesProcess(ctx: AppContext, maildir: string): Promise<number> {
  const returnPath = ctx.config.transport.returnPath;
  if (!returnPath) throw new ConfigError(ctx.configFile, ['transport.returnPath: is required to tie bounces to deliveries (VERP); see docs/operations.md']);
  const report = await processBounces(
    {
      events: ctx.store.deliveryEvents,
      subscribers: ctx.store.subscribers,
      service: createSubscriberServiceFromContext(ctx),
      returnPath,
      secret: requireSecret(ctx),
      bounceAfter: ctx.config.delivery.bounceAfter,
      clock: ctx.clock,
      logger: ctx.logger,
    },
    maildir,
  );
  for (const item of report.processed) {
    const where = item.delivery ? `${item.delivery.editionId} subscriber ${item.delivery.subscriberId}` : '-';
    ctx.out(`${item.file}: ${item.outcome} (${where}): ${item.detail}`);
  }
  for (const item of report.failed) ctx.err(`${item.file}: moved to .Failed/: ${item.reason}`);
  ctx.out(`${report.processed.length} processed (moved to .Processed/), ${report.failed.length} failed (moved to .Failed/)`);
  return report.failed.length ? 1 : 0;
}
