import type { AppContext } from './context.ts';
import { requireSecret } from './edition-pipeline.ts';
import { processBounces, type BounceProcessReport } from './process-bounces.ts';
import { createSubscriberServiceFromContext } from './subscribers/create-subscriber-service-from-context.ts';
import { ConfigError } from '../core/errors.ts';

/** `processBounces` wired to the context's store, secret and settings (the CLI command and the scheduler). */
export async function processBouncesFromContext(ctx: AppContext, maildir: string): Promise<BounceProcessReport> {
  const returnPath = ctx.config.transport.returnPath;
  if (!returnPath) throw new ConfigError(ctx.configFile, ['transport.returnPath: is required to tie bounces to deliveries (VERP); see docs/operations.md']);
  return processBounces(
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
}

/**
 * The scheduler's bounce work: processes `bounces.maildir` at the first tick and then
 * whenever `bounces.every` has passed since the last run; null without a maildir. The
 * last run is kept in memory: after a restart the first tick reads the Maildir again,
 * which is harmless (processed messages were moved away; a report is recorded once).
 */
export function createBounceWork(ctx: AppContext): ((now: Date) => Promise<void>) | null {
  const { maildir, every } = ctx.config.bounces;
  if (!maildir) return null;
  const folder = ctx.resolvePath(maildir);
  let lastRun = -Infinity;
  return async (now) => {
    if (now.getTime() - lastRun < every) return;
    lastRun = now.getTime();
    const report = await processBouncesFromContext(ctx, folder);
    if (report.processed.length || report.failed.length) {
      ctx.logger.info(
        { maildir: folder, processed: report.processed.length, failed: report.failed.length, outcomes: report.processed.map((p) => `${p.file}: ${p.outcome}`) },
        'bounce mailbox processed',
      );
    }
  };
}
