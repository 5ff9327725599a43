import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

/** `tidings token create|list|revoke`: bearer tokens of the JSON API (docs/api.md). */
export function registerTokenCommands(program: Command, host: CommandHost): void {
  const load = () => import('./token.ts');
  const token = program.command('token').description('bearer tokens of the JSON API under /api/v1 (docs/api.md)');
  token
    .command('create')
    .description('create a token; it is printed once and only its SHA-256 hash is stored')
    .argument('<name>', 'a name for the token (who uses it: zapier, crm-sync…)')
    .option(
      '--scope <scope>',
      'what it may do (repeat): subscribers:read, subscribers:write, editions:read, editions:write, send, sources:read, sources:write',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (name: string, options: { scope: string[] }) => {
      const { runTokenCreate } = await load();
      host.setExitCode(await runTokenCreate(await host.getContext({ sendsMail: false }), name, options.scope));
    });
  token
    .command('list')
    .description('list the tokens: name, scopes, created, last used, revoked')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { runTokenList } = await load();
      host.setExitCode(await runTokenList(await host.getContext({ sendsMail: false }), options));
    });
  token
    .command('revoke')
    .description('revoke a token at once (requests with it get 401)')
    .argument('<name>')
    .action(async (name: string) => {
      const { runTokenRevoke } = await load();
      host.setExitCode(await runTokenRevoke(await host.getContext({ sendsMail: false }), name));
    });
}
