import type { AppContext } from '../../app/context.ts';
import { armShutdownBackstop } from './shutdown-backstop.ts';
import { drainSignupMail, listenWebServer } from './web-server-wiring.ts';

/**
 * `tidings serve`: the web server alone (subscriber pages, public pages, /healthz,
 * /metrics) on web.host:web.port. Resolves only once the server has closed
 * (SIGTERM/SIGINT: requests in flight finish, queued confirmation mail is handed over,
 * all within shutdownTimeout; what is left stays queued for the next start).
 */
export async function runServe(ctx: AppContext): Promise<number> {
  const server = await listenWebServer(ctx);
  armShutdownBackstop(ctx);
  ctx.out(`listening on ${server.address} (public address ${ctx.config.web.baseUrl})`);
  await server.closed;
  await drainSignupMail(ctx, server);
  ctx.out('stopped');
  return 0;
}
