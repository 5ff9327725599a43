import { describeError } from '../../core/errors.ts';
import type { RouteModule } from '../web-context.ts';
import { registerMetricsRoute } from './metrics.ts';

/**
 * Endpoints for whoever runs the server: `/healthz` for probes, `/metrics` for
 * Prometheus (with a bearer token, or from this machine only). Plain text, not localized,
 * not rate limited: a load balancer polls them.
 */
export const registerOpsRoutes: RouteModule = (app, web) => {
  app.get('/healthz', { config: { rateLimit: false } }, async (request, reply) => {
    try {
      const detail = await web.checkHealth();
      return reply.code(200).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(detail ? `ok: ${detail}\n` : 'ok\n');
    } catch (error) {
      const reason = describeError(error);
      request.log.error({ err: reason }, 'health check failed');
      return reply.code(503).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(`unhealthy: ${reason}\n`);
    }
  });
  if (web.metrics) registerMetricsRoute(app, web.metrics, { token: web.config.web.metricsToken });
};
