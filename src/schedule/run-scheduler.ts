import { createTask, type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Scheduler } from './scheduler.ts';
import type { SchedulerLease } from './scheduler-lease.ts';

export interface SchedulerRunOptions {
  scheduler: Scheduler;
  lease: SchedulerLease;
  clock: Clock;
  logger: Logger;
  /** The periodic tick for deadlines, catch-up and subscriber-local releases. */
  tickEveryMs: number;
  /** Abort to stop: no new work, sends in flight finish and are recorded. */
  signal: AbortSignal;
}

/**
 * Runs the scheduler in real time until the signal. node-cron only triggers ticks (one
 * task per newsletter, in its zone, plus a periodic tick); what is due is decided by
 * `tick(now)` from the store, so a trigger that fires twice or late changes nothing.
 * Resolves with 'stopped', or 'lease-lost' when another scheduler took the store over.
 */
export async function runScheduler(options: SchedulerRunOptions): Promise<'stopped' | 'lease-lost'> {
  const { scheduler, lease, clock, logger, signal } = options;
  await lease.acquire(clock.now());
  // Under the lease: what `tidings schedule --list` from any shell shows as this scheduler's configuration.
  await scheduler.recordSchedules(lease.holder, clock.now());
  let outcome: 'stopped' | 'lease-lost' = 'stopped';
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  signal.addEventListener('abort', stop, { once: true });

  const tick = (reason: string) => {
    if (stopped.signal.aborted) return;
    logger.debug({ reason }, 'scheduler tick');
    scheduler
      .tick(clock.now())
      .catch((error: unknown) => logger.error({ err: error }, `tick failed: ${(error as Error).message}`));
  };
  const tasks: ScheduledTask[] = scheduler.scheduled.map((newsletter) =>
    createTask(newsletter.schedule!, () => tick(`schedule of ${newsletter.id}`), {
      timezone: newsletter.timezone,
      name: `tidings:${newsletter.id}`,
      // A trigger node-cron misses (a busy event loop) is harmless: the next tick decides
      // from the store. Its messages go to our log, not to the console.
      logger: {
        info: (message) => logger.debug(`node-cron: ${message}`),
        warn: (message) => logger.debug(`node-cron: ${message}`),
        error: (message) => logger.warn(`node-cron: ${String(message)}`),
        debug: (message) => logger.debug(`node-cron: ${String(message)}`),
      },
    }),
  );
  const heartbeat = setInterval(
    () => {
      lease.heartbeat(clock.now()).then(
        (held) => {
          if (held) return;
          logger.error(
            'scheduler lease lost (this process stalled past scheduler.leaseTtl and another scheduler took over): stopping',
          );
          outcome = 'lease-lost';
          stop();
        },
        (error: unknown) => logger.error({ err: error }, `lease heartbeat failed: ${(error as Error).message}`),
      );
    },
    Math.max(1000, Math.floor(lease.ttlMs / 3)),
  );
  const periodic = setInterval(() => tick('periodic'), options.tickEveryMs);
  try {
    for (const task of tasks) await task.start();
    logger.info(
      { newsletters: scheduler.scheduled.map((n) => `${n.id} (${n.schedule}, ${n.timezone})`) },
      'scheduler started',
    );
    tick('start (catch-up)');
    if (!stopped.signal.aborted)
      await new Promise((resolve) => stopped.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    clearInterval(periodic);
    for (const task of tasks) await task.destroy();
    logger.info('scheduler stopping: no new work; sends in flight finish and are recorded');
    await scheduler.stop();
    clearInterval(heartbeat);
    signal.removeEventListener('abort', stop);
    if (outcome === 'stopped') await lease.release();
  }
  return outcome;
}
