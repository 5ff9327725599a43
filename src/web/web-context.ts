import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ImageProxy } from '../app/images/image-proxy.ts';
import type { ReaderService } from '../app/subscribers/subscriber-types.ts';
import type { TidingsConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { OpsMetrics } from './ops/metrics.ts';
import type { WebViews } from './web-views.ts';

/** A healthy process that still needs an operator: the work it cannot finish alone. */
export interface HealthReport {
  detail: string;
  warnings: string[];
}

/** What the composition root hands the server; nothing here opens a socket or reads the environment. */
export interface WebServerDeps {
  config: TidingsConfig;
  /** The reader-facing subscriber service: the only one the pages get. */
  subscribers: ReaderService;
  views: WebViews;
  logger: Logger;
  clock: Clock;
  /**
   * Resolves when the process is healthy (the store answers a read; under `tidings start`
   * the scheduler ticked recently), optionally with a line of detail for `/healthz`;
   * rejects with the reason otherwise, and `/healthz` answers 503 with it. Warnings
   * (unresolved ambiguous deliveries) keep the 200 but turn `ok:` into `warn:`.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a plain `async () => {}` check (no detail) must fit.
  checkHealth: () => Promise<string | void | HealthReport>;
  /** Prometheus metrics for `GET /metrics`; absent, the route is not served. */
  metrics?: OpsMetrics;
  /** The article image proxy for `GET /img/<token>`; absent, the route is not served. */
  images?: ImageProxy;
}

export interface PageOptions {
  status?: number;
  view: string;
  /** The view's values; `title` names the page in the layout. */
  context: Record<string, unknown>;
  /** The subscriber's or newsletter's locale when known; else Accept-Language decides. */
  locale?: string | null;
  /** Dates on the page in this zone (the newsletter's); UTC when unset. */
  timeZone?: string;
}

/**
 * A rate-limit budget other than the per-address one: a key and a limit per minute for a
 * request it recognises (the desk: a live editor session), or null to leave the request
 * to the next budget and finally to `web.rateLimit.perMinute` per client address.
 */
export type RateBudget = (request: FastifyRequest) => Promise<{ key: string; max: number } | null>;

/** What every route module gets: the deps plus the helpers that turn results into pages. */
export interface WebContext extends WebServerDeps {
  /** Adds a rate-limit budget (see RateBudget); the first that recognises a request decides. */
  addRateBudget(budget: RateBudget): void;
  /** `web.baseUrl` without a trailing slash. */
  baseUrl: string;
  /** The locale of a request: `preferred` when the locale files know it, else Accept-Language. */
  localeOf(request: FastifyRequest, preferred?: string | null): string;
  sendPage(request: FastifyRequest, reply: FastifyReply, page: PageOptions): FastifyReply;
  /** A localized error page: 400, 404, 413, 429, 500… `messageKey` picks the explanation. */
  sendError(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    messageKey?: string,
    locale?: string | null,
  ): FastifyReply;
}

/** A group of routes for one audience (subscriber, public, ops, desk…). */
export type RouteModule = (app: FastifyInstance, web: WebContext) => void | Promise<void>;
