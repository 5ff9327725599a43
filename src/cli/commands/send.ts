import type { Command } from 'commander';
import type { AppContext } from '../../app/context.ts';
import { runSend } from '../../app/run-send.ts';
import { runTestSend } from '../../app/run-test-send.ts';
import { UsageError } from '../../core/errors.ts';
import type { CommandHost } from '../command-host.ts';

/** SIGINT/SIGTERM stop claiming; messages in flight are finished and recorded. A second signal exits at once. */
export function stopOnSignals(ctx: AppContext): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = (name: string) => () => {
    if (!controller.signal.aborted) {
      // A silent server holds the stop for at most transport.socketTimeout; its messages then become ambiguous.
      ctx.err(`${name}: finishing the messages in flight, then stopping (again to force)`);
    }
    else process.exit(130);
    controller.abort();
  };
  const onInt = stop('SIGINT');
  const onTerm = stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

const kebab = (flag: string) => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

interface SendFlags {
  at?: string;
  dryRun?: boolean;
  limit?: string;
  resendAmbiguous?: boolean;
  force?: boolean;
  test?: string;
  subscriber?: string;
}

export function registerSendCommand(program: Command, host: CommandHost): void {
  program
    .command('send')
    .description('send the edition for a slot to every subscriber, exactly once (reruns send only to those never tried)')
    .argument('<newsletter>', 'newsletter id')
    .option('--at <iso>', 'the slot (default: now)')
    .option('--dry-run', 'plan and render every message; send and record nothing')
    .option('--limit <n>', 'claim at most this many deliveries in this run')
    .option('--resend-ambiguous', 'also resend deliveries left "sending" by a crash (they may get a second copy)')
    .option('--force', 'send even when the slot is further in the past than delivery.maxLateness')
    .option('--test <email>', 'send one copy to this address, marked as a test, without touching the ledger')
    .option('--subscriber <email>', 'with --test: render as this subscriber (default: a sample reader)')
    .action(async (newsletter: string, flags: SendFlags) => {
      const ctx = await host.getContext();
      if (flags.test !== undefined) {
        const ignored = (['dryRun', 'limit', 'resendAmbiguous', 'force'] as const).filter((flag) => flags[flag] !== undefined);
        if (ignored.length) throw new UsageError(`--test sends one copy outside the ledger: it cannot be combined with ${ignored.map(kebab).join(', ')}`);
        host.setExitCode(await runTestSend(ctx, newsletter, { at: flags.at, to: flags.test, subscriber: flags.subscriber }));
        return;
      }
      const limit = flags.limit === undefined ? undefined : Number(flags.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError('--limit: must be a positive integer');
      const signals = stopOnSignals(ctx);
      try {
        const outcome = await runSend(ctx, newsletter, { ...flags, limit, signal: signals.signal });
        for (const line of outcome.lines) ctx.out(line);
        host.setExitCode(outcome.exitCode);
      } finally {
        signals.release();
      }
    });
}
