import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** Definitions only: the job's parts are imported when the command runs. */
export function registerRunCommand(program: Command, host: CommandHost): void {
  program
    .command('run')
    .description('the whole job once: ingest sources, sync subscribers, build and send every newsletter for the slot')
    .option('--at <iso>', 'the slot (default: now)')
    .option('--newsletter <id>', 'only this newsletter')
    .option('--force', 'send even when the slot is further in the past than delivery.maxLateness')
    .action(async (options: { at?: string; newsletter?: string; force?: boolean }) => {
      const [{ runJob }, { stopOnSignals }] = await Promise.all([import('./run.ts'), import('./send.ts')]);
      const ctx = await host.getContext();
      const signals = stopOnSignals(ctx);
      try {
        host.setExitCode(await runJob(ctx, { ...options, signal: signals.signal }));
      } finally {
        signals.release();
      }
    });
}
