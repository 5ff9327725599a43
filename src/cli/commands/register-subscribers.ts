import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';
import { registerSubscribersImport } from './register-subscribers-import.ts';

/** Definitions only: the list readers (CSV, YAML, validation) are imported when a command runs. */
export function registerSubscribersCommands(program: Command, host: CommandHost): void {
  const load = () => import('./subscribers.ts');
  const subscribers = program
    .command('subscribers')
    .description('subscriber lists: check them, load them into the store, show them');
  subscribers
    .command('validate')
    .description('check every list; print each bad row as file:line: reason (exit 1 if any)')
    .action(async () => {
      const { runSubscribersValidate, subscribersCommandContext } = await load();
      const { createFileRowCheck } = await import('../../app/readers-left-out.ts');
      const ctx = await host.getContext({ sendsMail: false });
      host.setExitCode(await runSubscribersValidate(subscribersCommandContext(ctx), await createFileRowCheck(ctx)));
    });
  subscribers
    .command('sync')
    .description('load the lists into the store in one transaction (refused if a row is bad)')
    .option('--skip-invalid', 'apply the good rows and list the skipped ones')
    .action(async (options: { skipInvalid?: boolean }) => {
      const { runSubscribersSync, subscribersCommandContext } = await load();
      const ctx = await host.getContext({ sendsMail: false });
      const code = await runSubscribersSync(subscribersCommandContext(ctx), options);
      // Who of the synced readers would get nothing from each newsletter's newest edition.
      if (code === 0)
        for (const line of await (await import('../../app/readers-left-out.ts')).describeReadersLeftOut(ctx))
          ctx.out(line);
      host.setExitCode(code);
    });
  registerSubscribersImport(subscribers, host);
  subscribers
    .command('list')
    .description('show the subscribers in the store')
    .option('--newsletter <id>', 'only those with a subscription to this newsletter')
    .option('--json', 'JSON output')
    .action(async (options: { newsletter?: string; json?: boolean }) => {
      const { runSubscribersList, subscribersCommandContext } = await load();
      const ctx = await host.getContext({ sendsMail: false });
      host.setExitCode(await runSubscribersList(subscribersCommandContext(ctx), options));
    });
}
