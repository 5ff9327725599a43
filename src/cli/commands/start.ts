import type { AppContext } from '../../app/context.ts';
import { runScheduler } from '../../schedule/run-scheduler.ts';
import { LeaseHeldError } from '../../schedule/scheduler-lease.ts';
import { createLease, createScheduler, syncForScheduler } from './schedule.ts';
import { listenWebServer, type ListeningWebServer } from './web-server-wiring.ts';

/**
 * `tidings start`: the scheduler and the web server in one process, on web.port (the
 * small-install default). The lease is taken before listening, so a second `start` on the
 * same store exits 2 without touching the port. SIGTERM/SIGINT stop both: the scheduler
 * takes no new work and lets sends in flight finish; the server finishes its requests.
 */
export async function runStart(ctx: AppContext, signal: AbortSignal): Promise<number> {
  const scheduler = createScheduler(ctx);
  const lease = createLease(ctx);
  try {
    await lease.acquire(ctx.clock.now());
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
    ctx.err(`error: ${error.message}`);
    return 2;
  }
  let listening: ListeningWebServer | null = null;
  try {
    const tickEvery = ctx.config.scheduler.tickEvery;
    listening = await listenWebServer(ctx, {
      // Healthy: the store answers and the scheduler ticked within three periods.
      checkHealth: async () => {
        const lastTick = await ctx.store.scheduler.lastTickAt();
        const age = lastTick ? ctx.clock.now().getTime() - lastTick.getTime() : Infinity;
        if (scheduler.stopping || age > 3 * tickEvery) throw new Error(`scheduler not ticking (last tick ${lastTick?.toISOString() ?? 'never'})`);
        return `scheduler ticking (last tick ${Math.round(age / 1000)} s ago)`;
      },
    });
    ctx.out(`listening on ${listening.address} (public address ${ctx.config.web.baseUrl}); scheduler running`);
    await syncForScheduler(ctx);
    const outcome = await runScheduler({ scheduler, lease, clock: ctx.clock, logger: ctx.logger, tickEveryMs: tickEvery, signal });
    await listening.close();
    await listening.subscribers.drain();
    ctx.out('stopped');
    return outcome === 'stopped' ? 0 : 1;
  } catch (error) {
    await listening?.close();
    await lease.release();
    throw error;
  }
}
