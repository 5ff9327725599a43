import type { Command } from 'commander';
import type { AppContext } from '../../app/context.ts';
import type { OperatorService } from '../../app/subscribers/subscriber-types.ts';
import type { CommandHost } from '../command-host.ts';

/** What these commands use: the service and the two output lines (AppContext plus the service). */
export interface LifecycleCommandContext {
  /** The operator-facing subscriber service. */
  service: OperatorService;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `tidings subscribers unsubscribe EMAIL [--newsletter ID]`. */
export async function runUnsubscribe(
  ctx: LifecycleCommandContext,
  email: string,
  options: { newsletter?: string },
): Promise<number> {
  const ended = await ctx.service.unsubscribeByEmail(email, options.newsletter);
  ctx.out(
    ended.length
      ? `${email}: unsubscribed from ${ended.join(', ')}`
      : `${email}: no active subscription${options.newsletter ? ` to ${options.newsletter}` : ''} (nothing changed)`,
  );
  return 0;
}

/** `tidings subscribers forget EMAIL`: the erasure. */
export async function runForget(ctx: LifecycleCommandContext, email: string): Promise<number> {
  const erased = await ctx.service.forgetByEmail(email);
  ctx.out(
    erased
      ? `${email}: erased (personal fields removed, ledger rows kept under a hashed id) and suppressed`
      : `${email}: not in the store; suppressed, so no sync will add it`,
  );
  return 0;
}

/** `tidings subscribers export EMAIL`: JSON of everything stored about the address. */
export async function runExport(ctx: LifecycleCommandContext, email: string): Promise<number> {
  ctx.out(JSON.stringify(await ctx.service.exportByEmail(email), null, 2));
  return 0;
}

/**
 * `tidings subscribers set-cadence EMAIL NEWSLETTER CADENCE`: says when the change takes
 * effect (the first edition at the new cadence), or that it already has.
 */
export async function runSetCadence(
  ctx: LifecycleCommandContext,
  email: string,
  newsletterId: string,
  cadence: string,
): Promise<number> {
  const state = await ctx.service.setCadenceByEmail(email, newsletterId, cadence);
  const pending = state.pending;
  if (!pending) {
    ctx.out(`${email}: ${newsletterId} at ${state.current} (in effect now; no change waiting)`);
    return 0;
  }
  const first = pending.firstEdition
    ? `from the ${pending.name} of ${pending.firstEdition.slot} (${pending.firstEdition.id})`
    : `from the first ${pending.name} edition sent after ${pending.after}`;
  ctx.out(`${email}: ${newsletterId} moves from ${state.current} to ${pending.name} ${first}`);
  ctx.out(`  the last ${state.current} edition is the one of ${pending.after}; no story comes twice`);
  return 0;
}

/** `tidings subscribers unsubscribe-mail <Maildir>`: exit 1 when some messages were not understood. */
export async function runUnsubscribeMail(ctx: LifecycleCommandContext, maildir: string): Promise<number> {
  const report = await ctx.service.processUnsubscribeMail(maildir);
  for (const item of report.processed)
    ctx.out(`${item.file}: ${item.changed ? 'unsubscribed from' : 'already unsubscribed from'} ${item.newsletterId}`);
  for (const item of report.rejected) ctx.err(`${item.file}: left in place: ${item.reason}`);
  ctx.out(`${report.processed.length} processed (moved to .Processed/), ${report.rejected.length} left in place`);
  return report.rejected.length ? 1 : 0;
}

export async function runSuppressions(
  ctx: LifecycleCommandContext,
  action: 'list' | 'add' | 'remove',
  email?: string,
  reason?: string,
): Promise<number> {
  if (action === 'list') {
    const entries = await ctx.service.listSuppressions();
    for (const entry of entries) ctx.out(`${entry.addressHash}  ${entry.createdAt}  ${entry.reason}`);
    ctx.out(`${entries.length} suppressed address${entries.length === 1 ? '' : 'es'} (stored as SHA-256 hashes)`);
    return 0;
  }
  if (action === 'add') {
    const added = await ctx.service.addSuppression(email!, reason ?? 'added by an operator');
    ctx.out(added ? `${email}: suppressed` : `${email}: was already suppressed`);
    return 0;
  }
  const removed = await ctx.service.removeSuppression(email!);
  ctx.out(
    removed
      ? `${email}: no longer suppressed; the next subscribers sync may add it again`
      : `${email}: was not suppressed`,
  );
  return 0;
}

/** The service (and the mail parsing and transports behind it) loads only when one of these commands runs. */
async function withService(ctx: AppContext): Promise<LifecycleCommandContext> {
  const { createSubscriberServiceFromContext } = await import(
    '../../app/subscribers/create-subscriber-service-from-context.ts'
  );
  return { service: createSubscriberServiceFromContext(ctx), out: ctx.out, err: ctx.err };
}

export function registerSubscriberLifecycleCommands(program: Command, host: CommandHost): void {
  const subscribers = program.commands.find((c) => c.name() === 'subscribers') ?? program.command('subscribers');
  const run = async (action: (ctx: LifecycleCommandContext) => Promise<number>) =>
    host.setExitCode(await action(await withService(await host.getContext({ sendsMail: false }))));
  subscribers
    .command('unsubscribe')
    .description("end a subscriber's subscriptions as if they had clicked unsubscribe (later syncs keep it)")
    .argument('<email>')
    .option('--newsletter <id>', 'only this newsletter')
    .action((email: string, options: { newsletter?: string }) => run((ctx) => runUnsubscribe(ctx, email, options)));
  subscribers
    .command('forget')
    .description('erase a person: personal fields removed, ledger rows kept under a hashed id, the address suppressed')
    .argument('<email>')
    .action((email: string) => run((ctx) => runForget(ctx, email)));
  subscribers
    .command('export')
    .description('print everything stored about a person as JSON; with --all, the whole list (CSV or JSON lines)')
    .argument('[email]')
    .option('--all', 'every subscriber, streamed (reads back with: subscribers import FILE --from csv)')
    .option('--format <format>', 'csv or jsonl (with --all)', 'csv')
    .action(async (email: string | undefined, options: { all?: boolean; format: string }) => {
      if (options.all || email === undefined) {
        const { runSubscribersExport } = await import('./subscribers-transfer.ts');
        return host.setExitCode(await runSubscribersExport(await host.getContext({ sendsMail: false }), options));
      }
      return run((ctx) => runExport(ctx, email));
    });
  subscribers
    .command('set-cadence')
    .description("change a reader's cadence of a newsletter (daily, weekly…) from the end of their current period")
    .argument('<email>')
    .argument('<newsletter>')
    .argument('<cadence>', 'one of the cadences the newsletter offers')
    .action((email: string, newsletterId: string, cadence: string) =>
      run((ctx) => runSetCadence(ctx, email, newsletterId, cadence)),
    );
  subscribers
    .command('unsubscribe-mail')
    .description('process the List-Unsubscribe mails in a Maildir (new/ and cur/); processed ones move to .Processed/')
    .argument('<maildir>')
    .action((maildir: string) => run((ctx) => runUnsubscribeMail(ctx, maildir)));

  const suppressions = program
    .command('suppressions')
    .description('addresses never to be added or mailed again (stored as hashes)');
  suppressions
    .command('list')
    .description('list the suppressions')
    .action(() => run((ctx) => runSuppressions(ctx, 'list')));
  suppressions
    .command('add')
    .description('suppress an address')
    .argument('<email>')
    .option('--reason <text>', 'why (kept with the entry)')
    .action((email: string, options: { reason?: string }) =>
      run((ctx) => runSuppressions(ctx, 'add', email, options.reason)),
    );
  suppressions
    .command('remove')
    .description('lift a suppression (the next subscribers sync may add the address again)')
    .argument('<email>')
    .action((email: string) => run((ctx) => runSuppressions(ctx, 'remove', email)));
}
