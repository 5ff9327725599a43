import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';
import type { SendFlags } from './send.ts';

/** Definitions only: the renderer and the transports are imported when the command runs. */
export function registerSendCommand(program: Command, host: CommandHost): void {
  program
    .command('send')
    .description(
      'send the edition for a slot to every subscriber, exactly once (reruns send only to those never tried)',
    )
    .argument('<newsletter>', 'newsletter id')
    .option('--at <iso>', 'the slot (default: now; with --test, the newest built edition)')
    .option('--dry-run', 'plan and render every message; send and record nothing')
    .option('--limit <n>', 'claim at most this many deliveries in this run')
    .option('--resend-ambiguous', 'also resend deliveries left "sending" by a crash (they may get a second copy)')
    .option('--force', 'send even when the slot is further in the past than delivery.maxLateness')
    .option('--test <email>', 'send one copy to this address, marked as a test, without touching the ledger')
    .option('--subscriber <email>', 'with --test: render as this subscriber (default: a sample reader)')
    .action(async (newsletter: string, flags: SendFlags) => {
      const { runSendCommand } = await import('./send.ts');
      host.setExitCode(await runSendCommand(await host.getContext(), newsletter, flags));
    });
}
