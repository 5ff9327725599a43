import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

export function registerBouncesCommands(program: Command, host: CommandHost): void {
  const bounces = program
    .command('bounces')
    .description('bounces and complaints that came back to transport.returnPath');
  bounces
    .command('process')
    .description(
      'read DSNs and ARF complaints in a Maildir (new/ and cur/) or an IMAP folder (imaps://user@host/INBOX, password in $TIDINGS_BOUNCES_PASSWORD or bounces.passwordEnv): ' +
        'hard bounces count toward delivery.bounceAfter, complaints unsubscribe and suppress; processed ones move to .Processed/ (IMAP: Tidings/Processed), unreadable ones to .Failed/ (Tidings/Failed)',
    )
    .argument('<mailbox>', 'a Maildir path or an imaps:// URL')
    .action(async (mailbox: string) => {
      const [{ runBouncesProcess }, ctx] = await Promise.all([import('./bounces.ts'), host.getContext()]);
      host.setExitCode(await runBouncesProcess(ctx, mailbox));
    });
}
