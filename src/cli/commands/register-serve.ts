import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** Definitions only: Fastify, the views and the subscriber service load when the command runs. */
export function registerServeCommand(program: Command, host: CommandHost): void {
  program
    .command('serve')
    .description(
      'serve the subscriber pages (unsubscribe, preferences, signup, editions, archive) on web.host:web.port',
    )
    .action(async () => {
      const { runServe } = await import('./serve.ts');
      host.setExitCode(await runServe(await host.getContext()));
    });
}
