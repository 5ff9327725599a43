import { readFileSync } from 'node:fs';
import type { AppContext } from './context.ts';
import { requireSecret } from './edition-pipeline.ts';
import { processBounces, type BounceProcessReport, type ProcessBouncesDeps } from './process-bounces.ts';
import { createSubscriberServiceFromContext } from './subscribers/create-subscriber-service-from-context.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import { describeMailboxLocation, parseMailboxLocation, type MailboxLocation } from '../core/mailbox-location.ts';
import { openMaildirReportMailbox, type ReportMailbox } from '../delivery/report-mailbox.ts';

/**
 * Opens the mailbox: a Maildir as it is, an IMAP URL with the password from the
 * environment variable `bounces.passwordEnv` and the CA from `bounces.tlsCa`, read here at
 * the composition root (nothing below reads the environment or configuration files).
 */
async function openReportMailbox(ctx: AppContext, location: MailboxLocation): Promise<ReportMailbox> {
  // A Maildir path arrives resolved: from the working directory (command line) or the config file's folder (scheduler).
  if (location.kind === 'maildir') return openMaildirReportMailbox(location.path);
  const { passwordEnv, tlsCa, timeout } = ctx.config.bounces;
  const password = ctx.env[passwordEnv];
  if (!password)
    throw new ConfigError(ctx.configFile, [
      `bounces.passwordEnv: the environment variable ${passwordEnv} is not set; it holds the password for ${location.url}`,
    ]);
  let ca: string | undefined;
  if (tlsCa) {
    try {
      ca = readFileSync(ctx.resolvePath(tlsCa), 'utf8');
    } catch (error) {
      throw new ConfigError(ctx.configFile, [`bounces.tlsCa: cannot read ${tlsCa}: ${describeError(error)}`]);
    }
  }
  // Loaded only for IMAP: the scheduler and the Maildir path start without imapflow.
  const { openImapReportMailbox } = await import('../delivery/imap-report-mailbox.ts');
  return openImapReportMailbox({ location, password, passwordEnv, ca, timeoutMs: timeout });
}

/** `processBounces` wired to the context's store, secret and settings (the CLI command and the scheduler). */
export async function processBouncesFromContext(
  ctx: AppContext,
  location: MailboxLocation,
  progress: Pick<ProcessBouncesDeps, 'onProcessed' | 'onFailed'> = {},
): Promise<BounceProcessReport> {
  const returnPath = ctx.config.transport.returnPath;
  if (!returnPath)
    throw new ConfigError(ctx.configFile, [
      'transport.returnPath: is required to tie bounces to deliveries (VERP); see docs/operations.md',
    ]);
  const deps: ProcessBouncesDeps = {
    events: ctx.store.deliveryEvents,
    subscribers: ctx.store.subscribers,
    service: createSubscriberServiceFromContext(ctx),
    returnPath,
    secret: requireSecret(ctx),
    bounceAfter: ctx.config.delivery.bounceAfter,
    clock: ctx.clock,
    logger: ctx.logger,
    ...progress,
  };
  const mailbox = await openReportMailbox(ctx, location);
  try {
    return await processBounces(deps, mailbox);
  } finally {
    await mailbox.close();
  }
}

/**
 * The scheduler's bounce work: processes `bounces.mailbox` at the first tick and then
 * whenever `bounces.every` has passed since the last run; null without a mailbox. The
 * last run is kept in memory: after a restart the first tick reads the mailbox again,
 * which is harmless (processed messages were moved away; a report is recorded once).
 */
export function createBounceWork(ctx: AppContext): ((now: Date) => Promise<void>) | null {
  const { mailbox, every } = ctx.config.bounces;
  if (!mailbox) return null;
  const parsed = parseMailboxLocation(mailbox);
  // The schema checked the value already; this keeps the types honest.
  if (typeof parsed === 'string') throw new ConfigError(ctx.configFile, [`bounces.mailbox: ${parsed}`]);
  const location: MailboxLocation =
    parsed.kind === 'maildir' ? { kind: 'maildir', path: ctx.resolvePath(parsed.path) } : parsed;
  const where = describeMailboxLocation(location);
  let lastRun = -Infinity;
  return async (now) => {
    if (now.getTime() - lastRun < every) return;
    lastRun = now.getTime();
    const report = await processBouncesFromContext(ctx, location);
    if (report.processed.length || report.failed.length) {
      ctx.logger.info(
        {
          mailbox: where,
          processed: report.processed.length,
          failed: report.failed.length,
          outcomes: report.processed.map((p) => `${p.file}: ${p.outcome}`),
        },
        'bounce mailbox processed',
      );
    }
  };
}
