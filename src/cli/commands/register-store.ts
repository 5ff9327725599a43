import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** `tidings store copy`: moves a SQLite install into PostgreSQL (docs/operations.md, "PostgreSQL"). */
export function registerStoreCommands(program: Command, host: CommandHost): void {
  const store = program.command('store').description('the store itself: copy a SQLite store into PostgreSQL');
  store
    .command('copy')
    .description('copy every table of a SQLite store into a PostgreSQL database (one transaction; row counts checked)')
    .requiredOption(
      '--to <url>',
      'the PostgreSQL database, postgres://user:password@host:5432/name (e.g. "$DATABASE_URL")',
    )
    .option('--from <file>', 'the SQLite file (default: store.path of the configuration)')
    .option('--force', 'empty the target tables first when they already hold rows')
    .action(async (options: { to: string; from?: string; force?: boolean }) => {
      const [{ runStoreCopy }, ctx] = await Promise.all([
        import('./store-copy.ts'),
        host.getContext({ sendsMail: false }),
      ]);
      host.setExitCode(await runStoreCopy(ctx, options));
    });
}
