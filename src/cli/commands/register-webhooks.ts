import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** `tidings webhooks list|retry|deliver`: definitions only, the work is imported when a command runs. */
export function registerWebhooksCommands(program: Command, host: CommandHost): void {
  const webhooks = program
    .command('webhooks')
    .description('signed event notifications (Standard Webhooks) queued in the store for webhooks.endpoints');
  webhooks
    .command('list')
    .description('the newest queued deliveries: id, status, attempts, endpoint, event, last error')
    .option('--status <status>', 'only pending, delivered or failed')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (options: { status?: string; limit: string }) => {
      const [{ runWebhooksList }, ctx] = await Promise.all([
        import('./webhooks.ts'),
        host.getContext({ sendsMail: false }),
      ]);
      host.setExitCode(await runWebhooksList(ctx, options));
    });
  webhooks
    .command('retry')
    .description('failed deliveries back to the queue, with a fresh day of retries (the ids given, or --all)')
    .argument('[ids...]', 'delivery ids from `tidings webhooks list`')
    .option('--all', 'every failed delivery')
    .action(async (ids: string[], options: { all?: boolean }) => {
      const [{ runWebhooksRetry }, ctx] = await Promise.all([
        import('./webhooks.ts'),
        host.getContext({ sendsMail: false }),
      ]);
      host.setExitCode(await runWebhooksRetry(ctx, ids, options));
    });
  webhooks
    .command('deliver')
    .description('post the deliveries that are due now (for cron, without `tidings start`)')
    .option('--until-idle', 'keep going (waiting webhooks.every between rounds) until nothing is pending')
    .action(async (options: { untilIdle?: boolean }) => {
      const [{ runWebhooksDeliver }, { stopOnSignals }, ctx] = await Promise.all([
        import('./webhooks.ts'),
        import('./send.ts'),
        host.getContext({ sendsMail: false }),
      ]);
      const signals = stopOnSignals(ctx);
      try {
        host.setExitCode(await runWebhooksDeliver(ctx, options.untilIdle === true, signals.signal));
      } finally {
        signals.release();
      }
    });
}
