import type { AppContext } from '../../app/context.ts';
import { listenWebServer } from './web-server-wiring.ts';

/**
 * `tidings serve`: the web server alone (subscriber pages, public pages, /healthz,
 * /metrics) on web.host:web.port. Resolves only once the server has closed
 * (SIGTERM/SIGINT: requests in flight finish, queued confirmation mail is handed over).
 */
export async function runServe(ctx: AppContext): Promise<number> {
  const server = await listenWebServer(ctx);
  ctx.out(`listening on ${server.address} (public address ${ctx.config.web.baseUrl})`);
  await server.closed;
  await server.subscribers.drain();
  ctx.out('stopped');
  return 0;
}
