import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

export function registerBouncesCommands(program: Command, host: CommandHost): void {
  const bounces = program.command('bounces').description('bounces and complaints that came back to transport.returnPath');
  bounces
    .command('process')
    .description('read DSNs and ARF complaints in a Maildir (new/ and cur/): hard bounces count toward delivery.bounceAfter, complaints unsubscribe and suppress; processed ones move to .Processed/, unreadable ones to .Failed/')
    .argument('<maildir>')
    .action(async (maildir: string) => {
      const [{ runBouncesProcess }, ctx] = await Promise.all([import('./bounces.ts'), host.getContext()]);
      host.setExitCode(await runBouncesProcess(ctx, maildir));
    });
}
