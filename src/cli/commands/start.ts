import type { AppContext } from '../../app/context.ts';
import { createSubscriberServiceFromContext } from '../../app/subscribers/create-subscriber-service-from-context.ts';
import { ConfigError } from '../../core/errors.ts';
import { runScheduler } from '../../schedule/run-scheduler.ts';
import { LeaseHeldError } from '../../schedule/scheduler-lease.ts';
import { createWebServer } from '../../web/create-web-server.ts';
import { listenUntilClosed } from '../../web/listen-until-closed.ts';
import { loadWebViews } from '../../web/web-views.ts';
import { createLease, createScheduler } from './schedule.ts';
import { runSubscribersSync } from './subscribers.ts';

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (another server runs there: stop it or choose another web.port)',
  EACCES: 'permission denied (ports below 1024 need privileges: use 8080 behind a proxy)',
  EADDRNOTAVAIL: 'no such address on this machine (check web.host)',
};

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
  let listening: Awaited<ReturnType<typeof listenUntilClosed>> | null = null;
  try {
    const subscribers = createSubscriberServiceFromContext(ctx);
    const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
    const tickEvery = ctx.config.scheduler.tickEvery;
    const app = await createWebServer({
      config: ctx.config,
      subscribers,
      views: loadWebViews(ctx.templatesDir, overrideDir),
      logger: ctx.logger,
      clock: ctx.clock,
      // Healthy: the store answers and the scheduler ticked within three periods.
      checkHealth: async () => {
        const lastTick = await ctx.store.scheduler.lastTickAt();
        const age = lastTick ? ctx.clock.now().getTime() - lastTick.getTime() : Infinity;
        if (scheduler.stopping || age > 3 * tickEvery) throw new Error(`scheduler not ticking (last tick ${lastTick?.toISOString() ?? 'never'})`);
      },
    });
    const { host, port } = ctx.config.web;
    listening = await listenUntilClosed(app, { host, port, logger: ctx.logger, signals: process }).catch((error: NodeJS.ErrnoException) => {
      const reason = LISTEN_ERRORS[error.code ?? ''];
      if (!reason) throw error;
      throw new ConfigError(ctx.configFile, [`web.host/web.port: cannot listen on ${host}:${port}: ${reason}`]);
    });
    ctx.out(`listening on ${listening.address} (public address ${ctx.config.web.baseUrl}); scheduler running`);
    await runSubscribersSync(ctx, { skipInvalid: true });
    const outcome = await runScheduler({ scheduler, lease, clock: ctx.clock, logger: ctx.logger, tickEveryMs: tickEvery, signal });
    await listening.close();
    await subscribers.drain();
    ctx.out('stopped');
    return outcome === 'stopped' ? 0 : 1;
  } catch (error) {
    await listening?.close();
    await lease.release();
    throw error;
  }
}
