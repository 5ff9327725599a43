import type { Command } from 'commander';
import { applyPendingOutcomes } from '../../app/apply-pending-outcomes.ts';
import { liveSendLeases, liveWorkersInFlight } from '../../app/live-holders.ts';
import type { CommandHost } from '../command-host.ts';
import { escapeControlCharacters } from '../terminal-text.ts';
import type { ResolveFlags } from './resolve-deliveries.ts';
import { runDeliveries, runStatus } from './status.ts';

export function registerStatusCommands(program: Command, host: CommandHost): void {
  const statusContext = async () => {
    const ctx = await host.getContext({ sendsMail: false });
    // Outcomes an earlier send could not record are applied first, so the counts are true.
    await applyPendingOutcomes(ctx);
    // Emails, replies and reasons come from the store: never let their control characters reach the terminal.
    const stdout = { write: (text: string) => ctx.stdout.write(escapeControlCharacters(text)) };
    return {
      ledger: ctx.store.ledger,
      editions: ctx.store.editions,
      subscribers: ctx.store.subscribers,
      // A lease left by a dead process names no one who is sending: its `sending` rows are ambiguous.
      sendLease: liveSendLeases(ctx.store.sendLease),
      workQueue: ctx.store.workQueue && liveWorkersInFlight(ctx.store.workQueue),
      deliveryEvents: ctx.store.deliveryEvents,
      webhooks: ctx.store.webhooks,
      now: ctx.clock.now(),
      stdout,
      stderr: { write: (text: string) => ctx.err(text.replace(/\n$/, '')) },
    };
  };
  program
    .command('status')
    .description(
      'every edition with its status, delivery counts (pending, sending, accepted, failed, skipped, ambiguous), unsubscribes from its links and the last errors',
    )
    .argument('[newsletter]', 'only this newsletter')
    .option('--json', 'print JSON')
    .action(async (newsletter: string | undefined, options: { json?: boolean }) =>
      host.setExitCode(await runStatus(await statusContext(), { newsletter, json: Boolean(options.json) })),
    );
  const deliveries = program
    .command('deliveries')
    .description('the deliveries of one edition')
    .argument('<edition>', 'edition id, e.g. daily/2026-11-28T07:00')
    .option('--status <status>', 'only this status (pending, sending, accepted, failed, skipped)')
    .option('--json', 'print JSON')
    .action(async (edition: string, options: { status?: string; json?: boolean }) =>
      host.setExitCode(
        await runDeliveries(await statusContext(), { edition, status: options.status, json: Boolean(options.json) }),
      ),
    );
  deliveries
    .command('resolve')
    .description(
      "record what the mail server's log says about ambiguous deliveries: --accepted (final, never resent) or --not-accepted (resent by the next run)",
    )
    .argument('<edition>', 'edition id, e.g. daily/2026-11-28T07:00')
    .argument('[emails...]', 'the readers whose deliveries are ambiguous')
    .option('--all-ambiguous', 'every ambiguous delivery of the edition')
    .option('--accepted', 'the server accepted them: record them as accepted')
    .option('--not-accepted', 'the server did not accept them: back to pending, the next run sends them')
    .option('--by <name>', 'who decides, for the ledger and the audit log', 'cli')
    .action(async (edition: string, emails: string[], flags: ResolveFlags) => {
      const { runResolveCommand } = await import('./resolve-deliveries.ts');
      host.setExitCode(await runResolveCommand(await host.getContext({ sendsMail: false }), edition, emails, flags));
    });
}
