import path from 'node:path';
import type { TidingsConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { formatProblem, type SubscriberFileProblem } from '../subscribers/subscriber-file-problem.ts';
import { catalogFromConfig } from '../subscribers/subscriber-row.ts';
import type { SubscriberRecord, SubscriberStore } from '../subscribers/subscriber-store.ts';
import { syncSubscribers } from '../subscribers/sync-subscribers.ts';

/** Where an operation's lines go: the terminal for a command, the JSON log for the scheduler. */
export interface LineSink {
  out(line: string): void;
  /** Problems; a command prints them on stderr. */
  err(line: string): void;
}

export interface SubscriberListsDeps {
  config: Pick<TidingsConfig, 'subscribers' | 'newsletters' | 'categories'>;
  /** Folder of the config file: list paths resolve from here, and problems are shown relative to it. */
  baseDir: string;
  subscribers: SubscriberStore;
  clock: Clock;
}

/** The subscriber lists of the configuration against the store: sync them in, page through the result. */
export interface SubscriberLists {
  /** The configured list files, as absolute paths. */
  paths(): string[];
  /**
   * Applies the lists to the store: refused (1, store untouched) when a row is bad, unless
   * `skipInvalid`, which applies the good rows and lists the skipped (then `skippedExitCode`,
   * default 0). The `tidings subscribers sync` command and the scheduler's refresh both run it.
   */
  sync(options: { skipInvalid?: boolean; skippedExitCode?: number }, lines: LineSink): Promise<number>;
  /** One page of stored subscribers, by id, after `afterId`. */
  page(query: { newsletterId?: string; afterId: number; limit: number }): Promise<SubscriberRecord[]>;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Each problem as `file:line: reason`, the file relative to the config folder. */
export function problemLines(baseDir: string, problems: readonly SubscriberFileProblem[], prefix = ''): string[] {
  const display = (file: string) => path.relative(baseDir, file) || file;
  return problems.map((problem) => `${prefix}${formatProblem(problem, display)}`);
}

export function createSubscriberLists(deps: SubscriberListsDeps): SubscriberLists {
  const paths = () => deps.config.subscribers.paths.map((p) => path.resolve(deps.baseDir, p));
  return {
    paths,
    page: (query) => deps.subscribers.list(query),
    async sync(options, lines) {
      const report = await syncSubscribers(deps.subscribers, paths(), catalogFromConfig(deps.config), {
        now: deps.clock.now(),
        skipInvalid: Boolean(options.skipInvalid),
      });
      const problems = (list: readonly SubscriberFileProblem[], prefix = '') => {
        for (const line of problemLines(deps.baseDir, list, prefix)) lines.err(line);
      };
      problems(report.warnings, 'warning: ');
      if (!report.applied) {
        problems(report.errors);
        lines.out(
          `sync refused: ${plural(report.errors.length, 'error')}; nothing was changed (fix the lists or use --skip-invalid)`,
        );
        return 1;
      }
      problems(report.errors, 'skipped: ');
      if (report.removalSkipped) lines.err('warning: some lists could not be read, so nobody was marked removed');
      lines.out(
        `added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, removed ${report.removed}, skipped ${report.skipped}` +
          (report.suppressed ? `, suppressed ${report.suppressed} (see: tidings suppressions list)` : ''),
      );
      // `tidings run` applies the good rows but fails the job (a cron alert) while some are skipped.
      return report.errors.length > 0 ? (options.skippedExitCode ?? 0) : 0;
    },
  };
}
