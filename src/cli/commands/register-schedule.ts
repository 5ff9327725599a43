import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** Definitions only: the scheduler and the send path are imported when the command runs. */
export function registerScheduleCommand(program: Command, host: CommandHost): void {
  program
    .command('schedule')
    .description("run the scheduler: each newsletter's edition at its schedule, in its time zone, until SIGTERM")
    .option('--list', "show each newsletter's next five slots, approval state and last run, then exit")
    .action(async (options: { list?: boolean }) => {
      // --list only reads; the scheduler sends.
      const ctx = await host.getContext({ sendsMail: !options.list });
      if (options.list) {
        const { runScheduleList } = await import('./schedule-list.ts');
        return host.setExitCode(await runScheduleList(ctx));
      }
      const [{ runScheduleCommand }, { stopOnSignals }] = await Promise.all([
        import('./schedule.ts'),
        import('./send.ts'),
      ]);
      const signals = stopOnSignals(ctx);
      try {
        host.setExitCode(await runScheduleCommand(ctx, signals.signal));
      } finally {
        signals.release();
      }
    });
}
