import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** Definitions only: the scheduler and the web server are imported when the command runs. */
export function registerStartCommand(program: Command, host: CommandHost): void {
  program
    .command('start')
    .description('the scheduler and the web server in one long-lived process, on web.host:web.port, until SIGTERM')
    .action(async () => {
      const [{ runStart }, { stopOnSignals }] = await Promise.all([import('./start.ts'), import('./send.ts')]);
      const ctx = await host.getContext();
      const signals = stopOnSignals(ctx);
      try {
        host.setExitCode(await runStart(ctx, signals.signal));
      } finally {
        signals.release();
      }
    });
}
