import type { RouteModule } from '../web-context.ts';

/**
 * Endpoints for whoever runs the server (probes, later metrics). Plain text, not
 * localized, not rate limited: a load balancer polls them.
 */
export const registerOpsRoutes: RouteModule = (app, web) => {
  app.get('/healthz', { config: { rateLimit: false } }, async (request, reply) => {
    try {
      await web.checkHealth();
      return reply.code(200).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('ok\n');
    } catch (error) {
      request.log.error({ err: error }, 'health check failed: the store does not answer');
      return reply.code(503).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('store unavailable\n');
    }
  });
};
