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
      const health = await web.checkHealth();
      // Warnings are for people, not load balancers: the server still serves, so still 200.
      const body =
        typeof health === 'object' && health
          ? `${health.warnings.length ? 'warn' : 'ok'}: ${[health.detail, ...health.warnings].join('; ')}\n`
          : health
            ? `ok: ${health}\n`
            : 'ok\n';
      return reply
        .code(200)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(body);
    } catch (error) {
      const reason = describeError(error);
      request.log.error({ err: reason }, 'health check failed');
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(`unhealthy: ${reason}\n`);
    }
  });
  if (web.metrics) registerMetricsRoute(app, web.metrics, { token: web.config.web.metricsToken });
};
