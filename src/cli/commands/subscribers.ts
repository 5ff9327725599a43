import path from 'node:path';
import type { TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { UsageError } from '../../core/errors.ts';
import { formatProblem, type SubscriberFileProblem } from '../../subscribers/subscriber-file-problem.ts';
import { catalogFromConfig } from '../../subscribers/subscriber-row.ts';
import type { StagedSubscriber, SubscriberRecord, SubscriberStore } from '../../subscribers/subscriber-store.ts';
import { syncSubscribers } from '../../subscribers/sync-subscribers.ts';
import { validateSubscriberFiles } from '../../subscribers/validate-subscriber-files.ts';

/** The part of the application context these commands use (AppContext satisfies it). */
export interface SubscribersCommandContext {
  config: Pick<TidingsConfig, 'subscribers' | 'newsletters' | 'categories'>;
  baseDir: string;
  store: { subscribers: SubscriberStore };
  clock: Clock;
  out: (line: string) => void;
  /** Problems (stderr); falls back to `out`. */
  err?: (line: string) => void;
}

const LIST_PAGE = 500;

function listPaths(ctx: SubscribersCommandContext): string[] {
  return ctx.config.subscribers.paths.map((p) => path.resolve(ctx.baseDir, p));
}

function printProblems(ctx: SubscribersCommandContext, problems: readonly SubscriberFileProblem[], prefix = ''): void {
  const print = ctx.err ?? ctx.out;
  const display = (file: string) => path.relative(ctx.baseDir, file) || file;
  for (const problem of problems) print(`${prefix}${formatProblem(problem, display)}`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Sees each valid row (src/app/readers-left-out.ts: who would receive nothing) and reports after the scan. */
export interface RowCheck {
  onRow(row: StagedSubscriber): void;
  lines(): string[];
}

/** `tidings subscribers validate`: every bad row as file:line: reason; exit 1 if any. */
export async function runSubscribersValidate(ctx: SubscribersCommandContext, rowCheck?: RowCheck): Promise<number> {
  const result = await validateSubscriberFiles(listPaths(ctx), catalogFromConfig(ctx.config), [], rowCheck?.onRow);
  printProblems(ctx, result.errors);
  printProblems(ctx, result.warnings, 'warning: ');
  ctx.out(
    `${plural(result.rows, 'valid row')}, ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`,
  );
  for (const line of rowCheck?.lines() ?? []) ctx.out(line);
  return result.errors.length > 0 ? 1 : 0;
}

/**
 * `tidings subscribers sync [--skip-invalid]`: refused (exit 1, store untouched) when a
 * row is bad, unless --skip-invalid, which applies the good rows and lists the skipped
 * (exit `skippedExitCode`, default 0, when some were).
 */
export async function runSubscribersSync(
  ctx: SubscribersCommandContext,
  options: { skipInvalid?: boolean; skippedExitCode?: number },
): Promise<number> {
  const report = await syncSubscribers(ctx.store.subscribers, listPaths(ctx), catalogFromConfig(ctx.config), {
    now: ctx.clock.now(),
    skipInvalid: Boolean(options.skipInvalid),
  });
  printProblems(ctx, report.warnings, 'warning: ');
  if (!report.applied) {
    printProblems(ctx, report.errors);
    ctx.out(
      `sync refused: ${plural(report.errors.length, 'error')}; nothing was changed (fix the lists or use --skip-invalid)`,
    );
    return 1;
  }
  printProblems(ctx, report.errors, 'skipped: ');
  if (report.removalSkipped) {
    (ctx.err ?? ctx.out)('warning: some lists could not be read, so nobody was marked removed');
  }
  ctx.out(
    `added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, removed ${report.removed}, skipped ${report.skipped}` +
      (report.suppressed ? `, suppressed ${report.suppressed} (see: tidings suppressions list)` : ''),
  );
  // `tidings run` applies the good rows but fails the job (a cron alert) while some are skipped.
  return report.errors.length > 0 ? (options.skippedExitCode ?? 0) : 0;
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
    const page = await ctx.store.subscribers.list({ newsletterId: options.newsletter, afterId, limit: LIST_PAGE });
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

export function formatSubscriber(subscriber: SubscriberRecord): string {
  const subscriptions = subscriber.subscriptions
    .map((s) => `${s.newsletterId}:${s.status}${s.categories ? `[${s.categories.join(',')}]` : ''}`)
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
