import type { Command } from 'commander';
import type { CommandHost } from '../command-host.ts';

export function registerDkimCommands(program: Command, host: CommandHost): void {
  const dkim = program.command('dkim').description('DKIM keys');
  dkim
    .command('keygen')
    .description('write a new RSA private key (mode 0600) and print the DNS TXT record to publish')
    .requiredOption('--selector <selector>', 'the selector, e.g. tidings2026')
    .requiredOption('--domain <domain>', 'the signing domain, usually the From domain')
    .option('--bits <bits>', 'key size: 2048, 3072 or 4096', '2048')
    .option('--out <file>', 'where the key goes (never overwritten)')
    .action(async (options: { selector: string; domain: string; bits: string; out?: string }) => {
      const [{ runDkimKeygen }, ctx] = await Promise.all([
        import('./dkim-keygen.ts'),
        host.getContext({ sendsMail: false }),
      ]);
      host.setExitCode(await runDkimKeygen({ stdout: ctx.stdout }, options));
    });
}
