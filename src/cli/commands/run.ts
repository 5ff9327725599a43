import type { AppContext } from '../../app/context.ts';
import { findNewsletter } from '../../app/edition-pipeline.ts';
import { runSend } from '../../app/run-send.ts';
import { checkTemplates } from '../../app/edition-pipeline.ts';
import { runIngest } from './ingest.ts';
import { runSubscribersSync, subscribersCommandContext } from './subscribers.ts';

/**
 * The scheduled job in one command: ingest every source, sync the subscriber lists,
 * then build and send each newsletter's edition for the slot. A failing step is
 * reported and the later steps still run; the exit code is the worst of them.
 */
export async function runJob(
  ctx: AppContext,
  options: { at?: string; newsletter?: string; force?: boolean; signal?: AbortSignal },
): Promise<number> {
  // A mistyped --newsletter in a crontab must fail loudly, not send nothing every day.
  if (options.newsletter) findNewsletter(ctx, options.newsletter);
  // The slot is when the job started, not when ingest finished: a slow ingest must not move
  // the edition to a later minute (cron at 07:00 means the 07:00 edition).
  const at = options.at ?? ctx.clock.now().toISOString();
  let exitCode = 0;
  // Templates first: a broken one stops the job before anything is ingested or sent.
  await checkTemplates(
    ctx,
    ctx.config.newsletters.filter((n) => !options.newsletter || n.id === options.newsletter),
  );
  ctx.out('== ingest');
  exitCode = Math.max(exitCode, await runIngest(ctx, {}));
  ctx.out('== subscribers');
  // A scheduled job applies the good rows (one typo must not hold the newsletter back from
  // everyone else, nor an unsubscribe in the lists), names the bad ones and exits 1 so cron alerts.
  exitCode = Math.max(
    exitCode,
    await runSubscribersSync(subscribersCommandContext(ctx), { skipInvalid: true, skippedExitCode: 1 }),
  );
  const newsletters = ctx.config.newsletters.filter((n) => !options.newsletter || n.id === options.newsletter);
  for (const newsletter of newsletters) {
    // A signal ends the job: the newsletter being sent finishes its messages in flight, the others wait for the next run.
    if (options.signal?.aborted) return Math.max(exitCode, 130);
    ctx.out(`== send ${newsletter.id}`);
    const outcome = await runSend(ctx, newsletter.id, { at, force: options.force, signal: options.signal });
    for (const line of outcome.lines) ctx.out(line);
    exitCode = Math.max(exitCode, outcome.exitCode);
  }
  if (newsletters.length === 0) ctx.out('no newsletters configured: nothing to send');
  return exitCode;
}
