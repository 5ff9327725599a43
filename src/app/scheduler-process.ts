import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isLocalProcessGone } from '../core/process-liveness.ts';
import { Scheduler } from '../schedule/scheduler.ts';
import { SchedulerLease, parseSchedulerHolder, schedulerHolderName } from '../schedule/scheduler-lease.ts';
import type { AppContext } from './context.ts';
import { ingestDueSources, type SourceIngestResult } from './ingest-due-sources.ts';
import { formatIngestReports, reportsOf } from './ingest-report-lines.ts';
import { createScheduledWork } from './scheduled-work.ts';
import type { LineSink, SubscriberLists } from './subscriber-lists.ts';

/** What the scheduler's refresh runs besides ingest: the subscriber-list sync of the app. */
export interface SchedulerProcessDeps {
  ctx: AppContext;
  lists: SubscriberLists;
}

/**
 * The scheduler of one process and its refresh steps (ingest, subscriber sync), each an
 * app operation that `tidings ingest` and `tidings subscribers sync` run too.
 */
export interface SchedulerProcess {
  createScheduler(): Scheduler;
  createLease(): SchedulerLease;
  /** The subscriber sync of the scheduler: the good rows applied, the bad ones logged once per process. */
  syncSubscribers(): Promise<number>;
  /** The last tick any scheduler recorded in the store. */
  lastTickAt(): Promise<Date | null>;
}

export function createSchedulerProcess({ ctx, lists }: SchedulerProcessDeps): SchedulerProcess {
  const syncLines = onceToLog(ctx);
  const syncSubscribers = () => lists.sync({ skipInvalid: true }, syncLines);
  return {
    syncSubscribers,
    lastTickAt: () => ctx.store.scheduler.lastTickAt(),
    createScheduler: () => {
      const report = (results: readonly SourceIngestResult[]) => {
        for (const line of formatIngestReports(reportsOf(results))) ctx.out(line);
      };
      const work = createScheduledWork(ctx, async () => {
        // Right before an edition: every source, due or not (conditional GET keeps it cheap).
        report(await ingestDueSources(ctx, ctx.clock.now(), { force: true }));
        await syncSubscribers();
      });
      work.ingestDueSources = async (now) => report(await ingestDueSources(ctx, now));
      return new Scheduler({
        newsletters: ctx.config.newsletters,
        editions: ctx.store.editions,
        store: ctx.store.scheduler,
        work,
        logger: ctx.logger,
        maxLateness: ctx.config.delivery.maxLateness,
      });
    },
    createLease: () =>
      new SchedulerLease(
        ctx.store.scheduler,
        schedulerHolderName(hostname(), process.pid, randomBytes(4).toString('hex')),
        ctx.config.scheduler.leaseTtl,
        { isHolderGone: isSchedulerHolderGone, logger: ctx.logger },
      ),
  };
}

/**
 * The sync's lines in a scheduler process go to the JSON log, and each distinct line only
 * once per process, so a bad row is not logged again at every prepare.
 */
function onceToLog(ctx: AppContext): LineSink {
  const seen = new Set<string>();
  const once = (level: 'info' | 'warn') => (line: string) => {
    if (seen.has(line)) return;
    if (seen.size < 10_000) seen.add(line);
    ctx.logger[level]({ step: 'subscribers sync' }, line);
  };
  return { out: once('info'), err: once('warn') };
}

/** A scheduler lease left by a process of this machine that no longer exists (kill -9, crash). */
export function isSchedulerHolderGone(holder: string): boolean {
  const parsed = parseSchedulerHolder(holder);
  return parsed !== null && isLocalProcessGone(parsed.host, parsed.pid);
}
