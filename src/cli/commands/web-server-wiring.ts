import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';
import { createApiOperations } from '../../app/api/api-operations.ts';
import { approvalOperationsFromContext } from '../../app/approvals/approval-operations.ts';
import { clickOperationsFromContext } from '../../app/clicks/click-operations.ts';
import { createImageProxyFromContext } from '../../app/images/image-proxy-from-context.ts';
import { templateLocales } from '../../app/template-locales.ts';
import { createSubscriberServiceFromContext } from '../../app/subscribers/create-subscriber-service-from-context.ts';
import type { ReaderService } from '../../app/subscribers/subscriber-types.ts';
import { ConfigError } from '../../core/errors.ts';
import { parseCronExpression } from '../../core/cron-expression.ts';
import { nextSlots } from '../../schedule/schedule-slots.ts';
import { createWebServer, ROUTE_MODULES } from '../../web/create-web-server.ts';
import { createJsonApiRoutes } from '../../web/api/api-routes.ts';
import { createApprovalRoutes } from '../../web/public/approval-routes.ts';
import { createClickRoutes } from '../../web/public/click-routes.ts';
import { createDeskRoutes } from '../../web/desk/desk-routes.ts';
import { listenUntilClosed } from '../../web/listen-until-closed.ts';
import { createOpsMetrics, type SchedulerStatus } from '../../web/ops/metrics.ts';
import { loadWebViews } from '../../web/web-views.ts';

/** Listen failures that are the configuration's to fix: exit 2 with one line. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (another server runs there: stop it or choose another web.port)',
  EACCES: 'permission denied (ports below 1024 need privileges: use 8080 behind a proxy)',
  EADDRNOTAVAIL: 'no such address on this machine (check web.host)',
};

export interface WebServerWiring {
  /** Extra health condition (the scheduler's): rejects with the reason, or returns a detail. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a plain `async () => {}` check (no detail) must fit.
  checkHealth?: () => Promise<string | void>;
  schedulerStatus?: () => SchedulerStatus;
}

export interface ListeningWebServer {
  subscribers: ReaderService;
  address: string;
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * The one HTTP server of `tidings serve` and `tidings start`, wired from the context:
 * the subscriber and public pages, the editor desk under /desk, the views (with
 * `templates.dir` overrides), `/healthz` (the store takes a write, plus whatever the caller adds) and
 * `/metrics`. Listens on web.host:web.port.
 */
export async function listenWebServer(ctx: AppContext, wiring: WebServerWiring = {}): Promise<ListeningWebServer> {
  const operations = appOperations(ctx);
  const subscribers = createSubscriberServiceFromContext(ctx);
  const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
  const schedules = new Map(
    ctx.config.newsletters.flatMap((n) => {
      const parsed = n.schedule ? parseCronExpression(n.schedule) : null;
      return parsed?.ok ? [[n.id, { schedule: parsed.schedule, timezone: n.timezone }] as const] : [];
    }),
  );
  const clicks = clickOperationsFromContext(ctx);
  const metrics = createOpsMetrics({
    readings: operations.opsReadings,
    // The click series exist only where clicks are counted.
    clicks: ctx.config.newsletters.some((n) => n.analytics === 'aggregate') ? clicks : undefined,
    clock: ctx.clock,
    newsletterIds: ctx.config.newsletters.map((n) => n.id),
    nextRunFor: (id) => {
      const entry = schedules.get(id);
      return entry ? (nextSlots(entry.schedule, entry.timezone, ctx.clock.now(), 1)[0]?.utc ?? null) : null;
    },
    schedulerStatus: wiring.schedulerStatus,
    sourceHealth: () => operations.sources.health(),
  });
  const app = await createWebServer(
    {
      config: ctx.config,
      subscribers,
      views: loadWebViews(ctx.templatesDir, overrideDir),
      logger: ctx.logger,
      clock: ctx.clock,
      metrics,
      images: createImageProxyFromContext(ctx),
      checkHealth: async () => {
        // A write and its read back: a read-only, full or vanished store fails it.
        const store = await operations.webHealth.checkStore();
        const detail = await wiring.checkHealth?.();
        return { detail: detail ? `${store}; ${detail}` : store, warnings: await operations.webHealth.warnings() };
      },
    },
    {
      modules: [
        ...ROUTE_MODULES,
        createClickRoutes(clicks),
        createApprovalRoutes(approvalOperationsFromContext(ctx)),
        deskRoutesFor(ctx),
        createJsonApiRoutes(createApiOperations(ctx, subscribers)),
      ],
    },
  );
  const { host, port } = ctx.config.web;
  // A stop begins the shutdown budget; requests in flight get at most 10 s of it.
  const graceMs = Math.min(10_000, ctx.config.shutdownTimeout);
  const server = await listenUntilClosed(app, {
    host,
    port,
    logger: ctx.logger,
    signals: process,
    graceMs,
    onClosing: () => ctx.shutdown.begin(),
  }).catch((error: NodeJS.ErrnoException) => {
    const reason = LISTEN_ERRORS[error.code ?? ''];
    if (!reason) throw error;
    throw new ConfigError(ctx.configFile, [`web.host/web.port: cannot listen on ${host}:${port}: ${reason}`]);
  });
  // Confirmation mails a stopped (or crashed) process left queued go out now.
  subscribers.sendQueuedMail();
  return { subscribers, address: server.address, closed: server.closed, close: () => server.close() };
}

/** The editor desk wired from the context: the app's desk operations, the templates and their overrides. */
export function deskRoutesFor(ctx: AppContext): ReturnType<typeof createDeskRoutes> {
  const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
  return createDeskRoutes({
    operations: appOperations(ctx).desk,
    config: ctx.config,
    clock: ctx.clock,
    logger: ctx.logger,
    templatesDir: ctx.templatesDir,
    overrideDir,
    locales: templateLocales(ctx.templatesDir, overrideDir),
  });
}

/**
 * After the server closed: queued confirmation mails go out within what is left of the
 * shutdown budget; once it is spent the mail in flight is ended and stays queued, with the
 * rest, for the next start. Returns false when mail was left queued.
 */
export async function drainSignupMail(ctx: AppContext, server: ListeningWebServer): Promise<boolean> {
  ctx.shutdown.begin();
  if (await ctx.shutdown.within(server.subscribers.drain())) return true;
  // The queue stops and its transport aborts with the budget: this returns at once.
  await server.subscribers.drain();
  ctx.err(
    `shutdownTimeout (${Math.round(ctx.config.shutdownTimeout / 1000)} s) spent: signup mail left queued for the next start`,
  );
  return false;
}
