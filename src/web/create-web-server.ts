import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { ZodError } from 'zod';
import { isTidingsError } from '../core/errors.ts';
import { registerOpsRoutes } from './ops/ops-routes.ts';
import { pickLocale } from './pick-locale.ts';
import { registerImageRoutes } from './public/image-routes.ts';
import { registerPublicRoutes } from './public/public-routes.ts';
import { redactUrl } from './redact-url.ts';
import { registerSubscriberRoutes } from './subscriber/subscriber-routes.ts';
import { parseMultipartFields } from './parse-multipart-fields.ts';
import type { PageOptions, RateBudget, RouteModule, WebContext, WebServerDeps } from './web-context.ts';

/** Bodies above this are refused with 413: every form here is a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The route modules, one per audience. Adding one (the desk, the scheduler's ops) is one line here. */
export const ROUTE_MODULES: readonly RouteModule[] = [
  registerOpsRoutes,
  registerPublicRoutes,
  registerImageRoutes,
  registerSubscriberRoutes,
];

/** The CSP of every page: no script at all, styles only from our stylesheet, forms only to us. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Which explanation an error page gives for a status. */
const STATUS_MESSAGES: Record<number, string> = {
  400: 'web_error_400',
  404: 'web_error_404',
  405: 'web_error_404',
  413: 'web_error_413',
  408: 'web_error_400',
  411: 'web_error_400',
  414: 'web_error_400',
  415: 'web_error_400',
  429: 'web_error_429',
};

/** Status of an app-layer error (see src/app/subscribers/subscriber-service.ts). */
const CODE_STATUS: Record<string, { status: number; key: string }> = {
  TOKEN_INVALID: { status: 400, key: 'web_error_token' },
  TOKEN_EXPIRED: { status: 400, key: 'web_error_token_expired' },
  NOT_FOUND: { status: 404, key: 'web_error_404' },
  INPUT_INVALID: { status: 400, key: 'web_error_400' },
};

/**
 * Builds the one HTTP server (Fastify) from injected parts. It does not listen: the
 * composition root (`tidings serve`) does, and tests use `inject` or listen on port 0.
 */
export interface WebServerOptions {
  modules?: readonly RouteModule[];
  /** A connection silent this long is closed (a stalled upload, an idle keep-alive). Default 10 s. */
  idleTimeoutMs?: number;
}

export async function createWebServer(deps: WebServerDeps, options: WebServerOptions = {}): Promise<FastifyInstance> {
  const modules = options.modules ?? ROUTE_MODULES;
  const { config, views } = deps;
  const log = deps.logger.child({ component: 'web' });
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per request comes from our onResponse hook, with the token redacted.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A client that stalls or trickles its request (slowloris) does not hold a connection
    // for long: silent for 10 s, or a whole request slower than 30 s, and it is closed.
    connectionTimeout: options.idleTimeoutMs ?? 10_000,
    requestTimeout: 30_000,
    // A hop count is valid at run time (proxy-addr) though the typings omit it.
    trustProxy: config.web.trustProxy as boolean | string,
    requestIdHeader: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
    // A path part over maxParamLength (414) or a malformed one (400) gets our error page,
    // not Fastify's raw JSON.
    frameworkErrors: (error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode === 414 ? 414 : 400;
      return sendError(request, reply, status);
    },
  });

  const localeOf = (request: FastifyRequest, preferred?: string | null): string =>
    pickLocale(views.locales, { preferred, acceptLanguage: headerText(request.headers['accept-language']) });

  const sendPage = (request: FastifyRequest, reply: FastifyReply, page: PageOptions): FastifyReply => {
    const locale = localeOf(request, page.locale);
    const html = views.render({ view: page.view, context: page.context, locale, timeZone: page.timeZone });
    return reply
      .code(page.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-language', locale)
      .send(html);
  };

  const sendError = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    messageKey?: string,
    locale?: string | null,
  ): FastifyReply => {
    const key = messageKey ?? STATUS_MESSAGES[status] ?? 'web_error_500';
    // The 429 page says how long to wait: the Retry-After the limiter set, in seconds.
    const retryAfter = Number(reply.getHeader('retry-after')) || 60;
    return sendPage(request, reply, {
      status,
      view: 'error',
      context: { status, titleKey: `${key}_title`, messageKey: key, retryAfter },
      locale,
    });
  };

  const budgets: RateBudget[] = [];
  const web: WebContext = {
    ...deps,
    baseUrl: config.web.baseUrl.replace(/\/+$/, ''),
    localeOf,
    sendPage,
    sendError,
    addRateBudget: (budget) => void budgets.push(budget),
  };

  await app.register(helmet, {
    global: true,
    // Set below as one fixed string (a route may replace it: the edition page).
    contentSecurityPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    // Article images come from other sites: require-corp would block them all.
    crossOriginEmbedderPolicy: false,
    // HSTS only when the public URL is https, and never for the operator's other subdomains.
    strictTransportSecurity: config.web.baseUrl.startsWith('https:')
      ? { maxAge: 15552000, includeSubDomains: false }
      : false,
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  // RFC 8058 allows the one-click POST as multipart/form-data too.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      try {
        done(null, parseMultipartFields(String(body), headerText(request.headers['content-type'])));
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined);
      }
    },
  );
  // Each request's budget is chosen once: a module's (the desk's session budget) or the
  // per-address one. Routes with a limit of their own (the signup POST) count by address.
  const chosen = new WeakMap<FastifyRequest, { key: string; max: number }>();
  const budgetOf = async (request: FastifyRequest) => {
    let budget = chosen.get(request);
    if (budget) return budget;
    for (const candidate of budgets) {
      budget = (await candidate(request)) ?? undefined;
      if (budget) break;
    }
    budget ??= { key: request.ip, max: config.web.rateLimit.perMinute };
    chosen.set(request, budget);
    return budget;
  };
  await app.register(rateLimit, {
    global: true,
    keyGenerator: async (request) =>
      typeof request.routeOptions.config?.rateLimit === 'object' ? request.ip : (await budgetOf(request)).key,
    max: async (request) => (await budgetOf(request)).max,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`rate limit exceeded, retry in ${context.after}`), { statusCode: context.statusCode }),
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  // Unknown paths count against the general limit too (the plugin only guards routes).
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) => sendError(request, reply, 404));
  app.setErrorHandler((error, request, reply) => {
    const mapped = isTidingsError(error) ? CODE_STATUS[error.code] : undefined;
    if (mapped) return sendError(request, reply, mapped.status, mapped.key);
    if (error instanceof ZodError) return sendError(request, reply, 400);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    // 4xx from Fastify and its plugins: 413 body too large, 415 media type, 429 (the
    // rate limiter has set Retry-After on the reply before throwing)…
    if (status >= 400 && status < 500) return sendError(request, reply, status);
    request.log.error({ err: error, url: redactUrl(request.url) }, 'request failed');
    return sendError(request, reply, 500);
  });

  for (const register of modules) await register(app, web);
  return app;
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
