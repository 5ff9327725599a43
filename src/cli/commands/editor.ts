import type { Command } from 'commander';
import type { AppContext } from '../../app/context.ts';
import { EditorAccounts } from '../../editors/editor-accounts.ts';
import { UsageError } from '../../core/errors.ts';
import type { CommandHost } from '../command-host.ts';

async function readPassword(ctx: AppContext): Promise<string> {
  let text = '';
  for await (const chunk of ctx.stdin) text += String(chunk);
  // The first line: `printf '%s\n' "$PW" | tidings editor add …` and a here-string both work.
  const password = text.split(/\r?\n/)[0] ?? '';
  if (!password) throw new UsageError('--password-stdin: no password on standard input');
  return password;
}

/** `tidings editor add|list|unlock|remove|reset-password`: accounts of the editor desk. */
export function registerEditorCommands(program: Command, host: CommandHost): void {
  const editor = program.command('editor').description('accounts of the editor desk (roles: editor, admin)');
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      host.setExitCode(await fn(...args));
  const accounts = async () => {
    const ctx = await host.getContext({ sendsMail: false });
    return {
      ctx,
      accounts: new EditorAccounts({ editors: ctx.store.editors, audit: ctx.store.audit, clock: ctx.clock }, 'cli'),
    };
  };
  const handOver = (ctx: AppContext, name: string, oneTime: string | null) => {
    if (oneTime)
      ctx.out(
        `one-time password for ${name}: ${oneTime}\n(give it to them over a private channel; they log in at ${ctx.config.web.baseUrl.replace(/\/+$/, '')}/desk/login)`,
      );
  };

  editor
    .command('add')
    .description('add an account; without --password-stdin a one-time password is printed')
    .argument('<name>', 'display and login name')
    .argument('<email>', 'email address (also accepted as login)')
    .option('--admin', 'may also send now and manage editors')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(
      run(async (name: string, email: string, o: { admin?: boolean; passwordStdin?: boolean }) => {
        const { ctx, accounts: a } = await accounts();
        const password = o.passwordStdin ? await readPassword(ctx) : null;
        const { editor: added, oneTimePassword } = await a.add(name, email, o.admin ? 'admin' : 'editor', password);
        ctx.out(`added ${added.role} ${added.name} <${added.email}>`);
        handOver(ctx, added.name, oneTimePassword);
        return 0;
      }),
    );

  editor
    .command('list')
    .description('every account with its role and the addresses blocked from logging in to it')
    .option('--json', 'print JSON')
    .action(
      run(async (o: { json?: boolean }) => {
        const { ctx, accounts: a } = await accounts();
        const lockouts = await a.lockouts();
        const list = (await a.list()).map(
          ({ passwordHash: _hidden, failedLogins: _old, lockedUntil: _oldLock, ...rest }) => ({
            ...rest,
            lockouts: lockouts
              .filter((l) => l.editorId === rest.id)
              .map(({ address, failures, blockedUntil }) => ({ address, failures, blockedUntil })),
          }),
        );
        if (o.json) ctx.out(JSON.stringify(list, null, 2));
        else
          for (const e of list) {
            const blocked = e.lockouts.map((l) => `${l.address} until ${l.blockedUntil}`).join(', ');
            ctx.out(`${e.name.padEnd(20)} ${e.role.padEnd(6)} ${e.email}${blocked ? `  (locked for ${blocked})` : ''}`);
          }
        return 0;
      }),
    );

  editor
    .command('unlock')
    .description('lift the lockouts of an account (failed logins from an address)')
    .argument('<name>', 'name or email')
    .option('--address <ip>', 'only the lockout of this client address')
    .action(
      run(async (name: string, o: { address?: string }) => {
        const { ctx, accounts: a } = await accounts();
        const lifted = await a.liftLockouts(name, o.address);
        ctx.out(
          lifted
            ? `lifted ${lifted} lockout${lifted === 1 ? '' : 's'} of ${name}`
            : `${name} had no lockout${o.address ? ` from ${o.address}` : ''}`,
        );
        return 0;
      }),
    );

  editor
    .command('remove')
    .description('remove an account and end its sessions')
    .argument('<name>', 'name or email')
    .action(
      run(async (name: string) => {
        const { ctx, accounts: a } = await accounts();
        ctx.out(`removed ${(await a.remove(name)).name}`);
        return 0;
      }),
    );

  editor
    .command('reset-password')
    .description(
      'set a new password (ends the sessions, lifts a lockout); without --password-stdin a one-time password is printed',
    )
    .argument('<name>', 'name or email')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(
      run(async (name: string, o: { passwordStdin?: boolean }) => {
        const { ctx, accounts: a } = await accounts();
        const password = o.passwordStdin ? await readPassword(ctx) : null;
        const { editor: changed, oneTimePassword } = await a.resetPassword(name, password);
        ctx.out(`new password set for ${changed.name}`);
        handOver(ctx, changed.name, oneTimePassword);
        return 0;
      }),
    );
}
