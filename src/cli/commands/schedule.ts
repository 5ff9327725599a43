import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../../app/context.ts';
import { createScheduledWork } from '../../app/scheduled-work.ts';
import { runScheduler } from '../../schedule/run-scheduler.ts';
import { Scheduler } from '../../schedule/scheduler.ts';
import {
  LeaseHeldError,
  SchedulerLease,
  parseSchedulerHolder,
  schedulerHolderName,
} from '../../schedule/scheduler-lease.ts';
import { isLocalProcessGone } from '../../core/process-liveness.ts';
import { formatIngestReports } from './ingest.ts';
import { ingestDueSources, type SourceIngestResult } from '../../app/ingest-due-sources.ts';
import { runSubscribersSync, type SubscribersCommandContext } from './subscribers.ts';

const schedulerSyncs = new WeakMap<AppContext, SubscribersCommandContext>();

/**
 * The subscriber sync of a scheduler process (at start and before each prepare): its
 * lines go to the JSON log, and each distinct line only once per process, so a bad row
 * is not logged again at every prepare.
 */
function schedulerSyncContext(ctx: AppContext): SubscribersCommandContext {
  let syncCtx = schedulerSyncs.get(ctx);
  if (!syncCtx) {
    const seen = new Set<string>();
    const once = (level: 'info' | 'warn') => (line: string) => {
      if (seen.has(line)) return;
      if (seen.size < 10_000) seen.add(line);
      ctx.logger[level]({ step: 'subscribers sync' }, line);
    };
    syncCtx = {
      config: ctx.config,
      baseDir: ctx.baseDir,
      clock: ctx.clock,
      get store() {
        return ctx.store;
      },
      out: once('info'),
      err: once('warn'),
    };
    schedulerSyncs.set(ctx, syncCtx);
  }
  return syncCtx;
}

/** The scheduler's subscriber sync: the good rows applied, the bad ones logged once. */
export function syncForScheduler(ctx: AppContext): Promise<number> {
  return runSubscribersSync(schedulerSyncContext(ctx), { skipInvalid: true });
}

/** The scheduler wired to this context: ingest and subscriber sync come from their commands. */
export function createScheduler(ctx: AppContext): Scheduler {
  const report = (results: readonly SourceIngestResult[]) => {
    const reports = results.flatMap((result) => (result.report ? [result.report] : []));
    for (const line of formatIngestReports(reports)) ctx.out(line);
  };
  const work = createScheduledWork(ctx, async () => {
    // Right before an edition: every source, due or not (conditional GET keeps it cheap).
    report(await ingestDueSources(ctx, ctx.clock.now(), { force: true }));
    await syncForScheduler(ctx);
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
}

export function createLease(ctx: AppContext): SchedulerLease {
  return new SchedulerLease(
    ctx.store.scheduler,
    schedulerHolderName(hostname(), process.pid, randomBytes(4).toString('hex')),
    ctx.config.scheduler.leaseTtl,
    {
      isHolderGone: isSchedulerHolderGone,
      logger: ctx.logger,
    },
  );
}

/** A scheduler lease left by a process of this machine that no longer exists (kill -9, crash). */
export function isSchedulerHolderGone(holder: string): boolean {
  const parsed = parseSchedulerHolder(holder);
  return parsed !== null && isLocalProcessGone(parsed.host, parsed.pid);
}

/** `tidings schedule`: the scheduler alone, until SIGTERM/SIGINT (exit 0) or a lost lease (exit 1). */
export async function runScheduleCommand(ctx: AppContext, signal: AbortSignal): Promise<number> {
  const scheduler = createScheduler(ctx);
  if (scheduler.scheduled.length === 0) {
    ctx.err(
      `no newsletter in ${ctx.configFile} has a schedule: nothing to run (add newsletters[].schedule, e.g. "0 7 * * *")`,
    );
    return 1;
  }
  // Readers' zones (subscriber-local) are known from the first tick on.
  await syncForScheduler(ctx);
  try {
    const outcome = await runScheduler({
      scheduler,
      lease: createLease(ctx),
      clock: ctx.clock,
      logger: ctx.logger,
      tickEveryMs: ctx.config.scheduler.tickEvery,
      signal,
    });
    return outcome === 'stopped' ? 0 : 1;
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
    ctx.err(`error: [${error.code}] ${error.message}`);
    return 2;
  }
}
