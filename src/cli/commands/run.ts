import type { Command } from 'commander';
import type { AppContext } from '../../app/context.ts';
import { runSend } from '../../app/run-send.ts';
import { runIngest } from './ingest.ts';
import { runSubscribersSync } from './subscribers.ts';
import type { CommandHost } from '../command-host.ts';

/**
 * The scheduled job in one command: ingest every source, sync the subscriber lists,
 * then build and send each newsletter's edition for the slot. A failing step is
 * reported and the later steps still run; the exit code is the worst of them.
 */
export async function runJob(ctx: AppContext, options: { at?: string; newsletter?: string; force?: boolean }): Promise<number> {
  let exitCode = 0;
  ctx.out('== ingest');
  exitCode = Math.max(exitCode, await runIngest(ctx, {}));
  ctx.out('== subscribers');
  exitCode = Math.max(exitCode, await runSubscribersSync(ctx, { skipInvalid: true }));
  const newsletters = ctx.config.newsletters.filter((n) => !options.newsletter || n.id === options.newsletter);
  for (const newsletter of newsletters) {
    ctx.out(`== send ${newsletter.id}`);
    const outcome = await runSend(ctx, newsletter.id, { at: options.at, force: options.force });
    for (const line of outcome.lines) ctx.out(line);
    exitCode = Math.max(exitCode, outcome.exitCode);
  }
  if (newsletters.length === 0) ctx.out('no newsletters configured: nothing to send');
  return exitCode;
}

export function registerRunCommand(program: Command, host: CommandHost): void {
  program
    .command('run')
    .description('the whole job once: ingest sources, sync subscribers, build and send every newsletter for the slot')
    .option('--at <iso>', 'the slot (default: now)')
    .option('--newsletter <id>', 'only this newsletter')
    .option('--force', 'send even when the slot is further in the past than delivery.maxLateness')
    .action(async (options: { at?: string; newsletter?: string; force?: boolean }) =>
      host.setExitCode(await runJob(await host.getContext(), options)),
    );
}
