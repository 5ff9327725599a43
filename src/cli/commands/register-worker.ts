import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';
import type { WorkerFlags } from './worker.ts';

/** Definitions only: the worker loop, renderer and transports are imported when the command runs. */
export function registerWorkerCommand(program: Command, host: CommandHost): void {
  program
    .command('worker')
    .description('send queued deliveries with other workers on the same PostgreSQL store (any number, on any machine)')
    .option('--newsletter <id>', "only this newsletter's editions")
    .option(
      '--concurrency <n>',
      'rows in flight at once in this worker, at most as many ambiguous after a kill (default: twice transport.maxConnections; the pool opens at most maxConnections)',
    )
    .option('--until-idle', 'exit when no edition has queued deliveries, instead of waiting for more')
    .action(async (flags: WorkerFlags) => {
      const { runWorkerCommand } = await import('./worker.ts');
      host.setExitCode(await runWorkerCommand(await host.getContext(), flags));
    });
}
