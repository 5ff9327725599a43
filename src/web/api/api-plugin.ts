import { createHash } from 'node:crypto';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiScope } from '../../app/api/api-access.ts';
import type { ApiTokenRecord } from '../../access/api-store.ts';
import type { ApiOperations } from '../../app/api/api-operations.ts';
import type { RouteModule } from '../web-context.ts';
import { ApiProblem, problem, sendProblem, toProblem } from './api-problem.ts';
import { problemSchema } from './api-schemas.ts';

/** Where the versioned routes live, under the `/api` prefix of the plugin. */
export const API_PREFIX = '/api';
export const API_VERSION_PREFIX = '/api/v1/';

/** One route of the API: its scope, its schemas (required: the OpenAPI check fails without them) and its handler. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below /api/v1, e.g. `/subscribers/:id`. */
  url: string;
  scope: ApiScope;
  summary: string;
  tag: string;
  body?: object;
  querystring?: object;
  params?: object;
  /** Schema per success status. */
  response: Record<number, object>;
  handler(request: FastifyRequest, token: ApiTokenRecord): Promise<{ status?: number; body: unknown }>;
}

/** A group of API routes (subscribers, editions, content). */
export type ApiRouteGroup = (ops: ApiOperations) => ApiRoute[];

interface Caller {
  token: ApiTokenRecord | null;
}

/**
 * The JSON API under /api/v1 as a route module of the one server: bearer tokens with
 * scopes, a request budget per token, `Idempotency-Key` on POST, problem+json errors,
 * and the OpenAPI document generated from the route schemas at /api/openapi.json.
 */
export function createApiRoutes(ops: ApiOperations, groups: readonly ApiRouteGroup[]): RouteModule {
  return async (app, web) => {
    const callers = new WeakMap<FastifyRequest, Caller>();
    const callerOf = async (request: FastifyRequest): Promise<Caller> => {
      let caller = callers.get(request);
      if (!caller) {
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
        caller = { token: bearer ? await ops.access.authenticate(bearer) : null };
        callers.set(request, caller);
      }
      return caller;
    };
    // A token's own budget (web.rateLimit.apiPerMinute); without a valid token, the per-address one.
    web.addRateBudget(async (request) => {
      if (!request.url.startsWith(API_VERSION_PREFIX)) return null;
      const { token } = await callerOf(request);
      return token ? { key: `api-token:${token.id}`, max: web.config.web.rateLimit.apiPerMinute } : null;
    });
    // A send the API started finishes (or is stopped by the shutdown budget) before the server is closed.
    app.addHook('onClose', async () => ops.drain());
    await app.register(
      async (api) => {
        await registerDocument(api);
        api.setErrorHandler((error, request, reply) => {
          const body = toProblem(error);
          if (body.status >= 500) request.log.error({ err: error }, 'api request failed');
          return sendProblem(request, reply, body);
        });
        api.setNotFoundHandler((request, reply) =>
          sendProblem(
            request,
            reply,
            problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
          ),
        );
        api.addHook('onRequest', async (request) => {
          if (!request.url.startsWith(API_VERSION_PREFIX)) return;
          const { token } = await callerOf(request);
          if (!token) throw new ApiProblem(401, 'unauthorized', 'send a live token: Authorization: Bearer <token>');
          const scope = (request.routeOptions.config as { scope?: ApiScope }).scope;
          if (scope && !token.scopes.includes(scope))
            throw new ApiProblem(403, 'forbidden', `this token lacks the scope ${scope}`);
        });
        const idempotency = idempotencyHooks(ops, callerOf);
        api.addHook('preHandler', idempotency.preHandler);
        api.addHook('onSend', idempotency.onSend);
        for (const group of groups) for (const route of group(ops)) defineRoute(api, route, callerOf);
      },
      { prefix: API_PREFIX },
    );
  };
}

async function registerDocument(api: FastifyInstance): Promise<void> {
  await api.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tidings API',
        version: '1',
        description: 'The JSON API of Tidings (docs/api.md). Errors are RFC 9457 application/problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  api.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(api.swagger()),
  );
}

function defineRoute(api: FastifyInstance, route: ApiRoute, callerOf: (r: FastifyRequest) => Promise<Caller>): void {
  api.route({
    method: route.method,
    url: `/v1${route.url}`,
    config: { scope: route.scope },
    // A POST whose fields are all optional may come without a body: it is then `{}`.
    preValidation: async (request) => {
      if (request.body === undefined && route.body) request.body = {};
    },
    schema: {
      summary: route.summary,
      description: `Scope: \`${route.scope}\``,
      tags: [route.tag],
      ...(route.body ? { body: route.body } : {}),
      ...(route.querystring ? { querystring: route.querystring } : {}),
      ...(route.params ? { params: route.params } : {}),
      response: { ...route.response, '4xx': problemSchema, '5xx': problemSchema },
    },
    handler: async (request, reply) => {
      const { token } = await callerOf(request);
      const result = await route.handler(request, token!);
      return reply.code(result.status ?? 200).send(result.body);
    },
  });
}

/**
 * `Idempotency-Key` on POST: the first request with a key claims it; its answer (below
 * 500) is kept 24 h and given again to a retry with the same key and body, without doing
 * the work again. The same key with another body is 422; while the first still runs, 409.
 */
function idempotencyHooks(ops: ApiOperations, callerOf: (r: FastifyRequest) => Promise<Caller>) {
  const claimed = new WeakMap<FastifyRequest, { tokenId: number; key: string }>();
  return {
    preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || typeof key !== 'string' || !request.url.startsWith(API_VERSION_PREFIX)) return;
      if (key.length === 0 || key.length > 255)
        throw new ApiProblem(400, 'validation', 'Idempotency-Key: 1 to 255 characters');
      const { token } = await callerOf(request);
      const requestHash = createHash('sha256')
        .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
        .digest('hex');
      const reservation = await ops.access.reserve(token!.id, key, requestHash);
      if (reservation.reserved) {
        claimed.set(request, { tokenId: token!.id, key });
        return;
      }
      const { existing } = reservation;
      if (existing.requestHash !== requestHash)
        throw new ApiProblem(422, 'idempotency-key-reused', 'this Idempotency-Key was used with another request');
      if (existing.status === null)
        throw new ApiProblem(409, 'idempotency-key-in-use', 'a request with this Idempotency-Key is still running');
      const type = existing.status >= 400 ? 'application/problem+json' : 'application/json';
      return reply
        .code(existing.status)
        .header('idempotent-replayed', 'true')
        .header('content-type', `${type}; charset=utf-8`)
        .send(existing.body ?? '');
    },
    onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const claim = claimed.get(request);
      if (!claim) return payload;
      claimed.delete(request);
      if (reply.statusCode >= 500) await ops.access.release(claim.tokenId, claim.key);
      else
        await ops.access.complete(claim.tokenId, claim.key, { status: reply.statusCode, body: String(payload ?? '') });
      return payload;
    },
  };
}
