import type { ClickOperations } from '../../app/clicks/click-operations.ts';
import type { RouteModule } from '../web-context.ts';

/**
 * `GET /c/<token>`: an article link of a newsletter with `analytics: aggregate`. Redirects
 * (302) to the article's URL as its edition recorded it, never to a URL from the request,
 * and counts the click when it looks like a reader's (src/app/clicks/click-filter.ts).
 * Forged or altered token: 400; edition or article gone: 404. The request line the
 * server logs holds the token, which names no reader.
 */
export function createClickRoutes(clicks: ClickOperations): RouteModule {
  return (app, web) => {
    // Fastify answers HEAD through this handler too (exposeHeadRoutes): redirected, not counted.
    app.get<{ Params: { token: string } }>('/c/:token', async (request, reply) => {
      const result = await clicks.follow(request.params.token, { method: request.method, headers: request.headers });
      if (result.kind === 'invalid') return web.sendError(request, reply, 400, 'web_error_400');
      if (result.kind === 'unknown') return web.sendError(request, reply, 404);
      return reply.code(302).header('cache-control', 'no-store').header('location', result.location).send();
    });
  };
}
