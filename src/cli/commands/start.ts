import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';
import type { SchedulerProcess } from '../../app/scheduler-process.ts';
import { prepareWebhookDispatcher } from '../../app/webhooks.ts';
import { runScheduler } from '../../schedule/run-scheduler.ts';
import { LeaseHeldError } from '../../schedule/scheduler-lease.ts';
import { drainSignupMail, listenWebServer, type ListeningWebServer } from './web-server-wiring.ts';

/**
 * Healthy: the scheduler ticked within three periods. The server listens before the
 * scheduler's first tick (subscriber sync comes between), so a process that has not ticked
 * yet is starting, not failing, for three periods from its start; a busy machine only
 * makes that window longer. The last tick of an earlier process does not count.
 */
async function schedulerHealth(
  ctx: AppContext,
  scheduling: SchedulerProcess,
  stopping: boolean,
  startedAt: Date,
): Promise<string> {
  const periods = 3 * ctx.config.scheduler.tickEvery;
  const now = ctx.clock.now().getTime();
  if (stopping) throw new Error('scheduler stopping');
  const lastTick = await scheduling.lastTickAt();
  if (!lastTick || lastTick.getTime() < startedAt.getTime()) {
    if (now - startedAt.getTime() > periods)
      throw new Error(`scheduler not ticking (no tick since the start at ${startedAt.toISOString()})`);
    return 'scheduler starting (first tick pending)';
  }
  const age = now - lastTick.getTime();
  if (age > periods) throw new Error(`scheduler not ticking (last tick ${lastTick.toISOString()})`);
  return `scheduler ticking (last tick ${Math.round(age / 1000)} s ago)`;
}

/**
 * `tidings start`: the scheduler and the web server in one process, on web.port (the
 * small-install default). The lease is taken before listening, so a second `start` on the
 * same store exits 2 without touching the port. SIGTERM/SIGINT stop both: the scheduler
 * takes no new work and lets sends in flight finish; the server finishes its requests.
 */
export async function runStart(ctx: AppContext, signal: AbortSignal): Promise<number> {
  const scheduling = appOperations(ctx).schedulerProcess;
  const scheduler = scheduling.createScheduler();
  const dispatchWebhooks = prepareWebhookDispatcher(ctx);
  const lease = scheduling.createLease();
  try {
    await lease.acquire(ctx.clock.now());
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
    ctx.err(`error: [${error.code}] ${error.message}`);
    return 2;
  }
  let listening: ListeningWebServer | null = null;
  try {
    const startedAt = ctx.clock.now();
    listening = await listenWebServer(ctx, {
      checkHealth: () => schedulerHealth(ctx, scheduling, scheduler.stopping, startedAt),
      // The scheduler gauges (last tick age, last send) come from the scheduler of this process.
      schedulerStatus: () => ({ lastTickAt: scheduler.lastTickAt, lastSend: scheduler.lastSend }),
    });
    ctx.out(`listening on ${listening.address} (public address ${ctx.config.web.baseUrl}); scheduler running`);
    await scheduling.syncSubscribers();
    // Beside the scheduler, never in its way: a slow receiver delays only its own webhooks.
    const webhooksStop = new AbortController();
    signal.addEventListener('abort', () => webhooksStop.abort(), { once: true });
    const webhooks = dispatchWebhooks?.(webhooksStop.signal);
    const outcome = await runScheduler({
      scheduler,
      lease,
      clock: ctx.clock,
      logger: ctx.logger,
      tickEveryMs: ctx.config.scheduler.tickEvery,
      signal,
    });
    webhooksStop.abort();
    await webhooks;
    await listening.close();
    await drainSignupMail(ctx, listening);
    ctx.out('stopped');
    return outcome === 'stopped' ? 0 : 1;
  } catch (error) {
    await listening?.close();
    await lease.release();
    throw error;
  }
}
