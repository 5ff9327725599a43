import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';
import type { TidingsConfig } from '../../config/schema.ts';
import { UsageError } from '../../core/errors.ts';
import { plural, problemLines, type SubscriberLists } from '../../app/subscriber-lists.ts';
import type { SubscriberFileProblem } from '../../subscribers/subscriber-file-problem.ts';
import { catalogFromConfig } from '../../subscribers/subscriber-row.ts';
import type { StagedSubscriber, SubscriberRecord, Subscription } from '../../subscribers/subscriber-store.ts';
import { validateSubscriberFiles } from '../../subscribers/validate-subscriber-files.ts';

/** What these commands use: the configuration, the subscriber-list operations and the output. */
export interface SubscribersCommandContext {
  config: Pick<TidingsConfig, 'subscribers' | 'newsletters' | 'categories'>;
  baseDir: string;
  lists: SubscriberLists;
  out: (line: string) => void;
  /** Problems (stderr); falls back to `out`. */
  err?: (line: string) => void;
}

/** The command context of a wired app context: its list operations and output streams. */
export function subscribersCommandContext(ctx: AppContext): SubscribersCommandContext {
  return {
    config: ctx.config,
    baseDir: ctx.baseDir,
    lists: appOperations(ctx).subscriberLists,
    out: ctx.out,
    err: ctx.err,
  };
}

const LIST_PAGE = 500;

function printProblems(ctx: SubscribersCommandContext, problems: readonly SubscriberFileProblem[], prefix = ''): void {
  const print = ctx.err ?? ctx.out;
  for (const line of problemLines(ctx.baseDir, problems, prefix)) print(line);
}

/** Sees each valid row (src/app/readers-left-out.ts: who would receive nothing) and reports after the scan. */
export interface RowCheck {
  onRow(row: StagedSubscriber): void;
  lines(): string[];
}

/** `tidings subscribers validate`: every bad row as file:line: reason; exit 1 if any. */
export async function runSubscribersValidate(ctx: SubscribersCommandContext, rowCheck?: RowCheck): Promise<number> {
  const result = await validateSubscriberFiles(ctx.lists.paths(), catalogFromConfig(ctx.config), [], rowCheck?.onRow);
  printProblems(ctx, result.errors);
  printProblems(ctx, result.warnings, 'warning: ');
  ctx.out(
    `${plural(result.rows, 'valid row')}, ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`,
  );
  for (const line of rowCheck?.lines() ?? []) ctx.out(line);
  return result.errors.length > 0 ? 1 : 0;
}

/** `tidings subscribers sync [--skip-invalid]`: the app's list sync, its lines on stdout and stderr. */
export function runSubscribersSync(
  ctx: SubscribersCommandContext,
  options: { skipInvalid?: boolean; skippedExitCode?: number },
): Promise<number> {
  return ctx.lists.sync(options, { out: ctx.out, err: ctx.err ?? ctx.out });
}

/** `tidings subscribers list [--newsletter ID] [--json]`, paged so a big list streams. */
export async function runSubscribersList(
  ctx: SubscribersCommandContext,
  options: { newsletter?: string; json?: boolean },
): Promise<number> {
  if (options.newsletter && !ctx.config.newsletters.some((n) => n.id === options.newsletter)) {
    throw new UsageError(`--newsletter: "${options.newsletter}" is not a configured newsletter`);
  }
  let afterId = 0;
  let total = 0;
  if (options.json) ctx.out('[');
  for (;;) {
    const page = await ctx.lists.page({ newsletterId: options.newsletter, afterId, limit: LIST_PAGE });
    for (const subscriber of page) {
      // One element per line with the separating comma up front: valid JSON, streamed.
      if (options.json) ctx.out(`${total > 0 ? ',' : ''}${JSON.stringify(subscriber)}`);
      else ctx.out(formatSubscriber(subscriber));
      total += 1;
    }
    if (page.length < LIST_PAGE) break;
    afterId = page[page.length - 1]!.id;
  }
  if (options.json) ctx.out(']');
  else ctx.out(plural(total, 'subscriber'));
  return 0;
}

/** `@weekly` (chosen; none: the default), `>daily@2026-12-10T06:00:00.000Z` for a change waiting until then. */
function cadenceText(subscription: Subscription): string {
  const chosen = subscription.cadence ? `@${subscription.cadence}` : '';
  const next = subscription.nextCadence;
  return next ? `${chosen}>${next.name}@${next.after}` : chosen;
}

export function formatSubscriber(subscriber: SubscriberRecord): string {
  const subscriptions = subscriber.subscriptions
    .map((s) => `${s.newsletterId}:${s.status}${s.categories ? `[${s.categories.join(',')}]` : ''}${cadenceText(s)}`)
    .join(' ');
  const extras = [subscriber.locale, subscriber.timezone].filter(Boolean).join(' ');
  return [
    String(subscriber.id).padStart(6),
    subscriber.email,
    subscriber.name ?? '-',
    subscriber.status,
    subscriptions,
    extras,
  ]
    .filter((part) => part !== '')
    .join('  ');
}
