import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `tidings subscribers import FILE --from …` (definition only: the readers load when it runs). */
export function registerSubscribersImport(subscribers: Command, host: CommandHost): void {
  subscribers
    .command('import')
    .description("add the readers of another platform's export (or of a Tidings export) to the store")
    .argument('<file>', 'the export file (CSV)')
    .requiredOption('--from <platform>', 'mailchimp, substack, buttondown, listmonk, ghost or csv (Tidings)')
    .option('--newsletter <id>', 'the newsletter they join (needed when several are configured)')
    .option('--map-tags <tag=category>', 'a tag, label or group that maps to a category (repeatable)', collect, [])
    .option('--dry-run', 'say what each row would do; write nothing')
    .option('--welcome', 'send the welcome mail to the readers added (where the newsletter has one)')
    .action(async (file: string, options: Record<string, unknown>) => {
      const { runSubscribersImport } = await import('./subscribers-transfer.ts');
      const welcomes = Boolean(options.welcome) && !options.dryRun;
      const ctx = await host.getContext({ sendsMail: welcomes });
      const welcome = welcomes
        ? (await import('../../app/subscribers/welcome-from-context.ts')).createWelcomeMailFromContext(ctx)
        : undefined;
      host.setExitCode(await runSubscribersImport(ctx, file, options, welcome));
    });
}
