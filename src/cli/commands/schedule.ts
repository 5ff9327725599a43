import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';
import { runScheduler } from '../../schedule/run-scheduler.ts';
import { LeaseHeldError } from '../../schedule/scheduler-lease.ts';

/** `tidings schedule`: the scheduler alone, until SIGTERM/SIGINT (exit 0) or a lost lease (exit 1). */
export async function runScheduleCommand(ctx: AppContext, signal: AbortSignal): Promise<number> {
  const scheduling = appOperations(ctx).schedulerProcess;
  const scheduler = scheduling.createScheduler();
  if (scheduler.scheduled.length === 0) {
    ctx.err(
      `no newsletter in ${ctx.configFile} has a schedule: nothing to run (add newsletters[].schedule, e.g. "0 7 * * *")`,
    );
    return 1;
  }
  // Readers' zones (subscriber-local) are known from the first tick on.
  await scheduling.syncSubscribers();
  try {
    const outcome = await runScheduler({
      scheduler,
      lease: scheduling.createLease(),
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
