import type { AppContext } from '../../app/context.ts';
import { createImageProxyFromContext } from '../../app/images/image-proxy-from-context.ts';
import { createSubscriberServiceFromContext } from '../../app/subscribers/create-subscriber-service-from-context.ts';
import type { SubscriberService } from '../../app/subscribers/subscriber-service.ts';
import { checkStoreHealth } from '../../core/store-health.ts';
import { ConfigError } from '../../core/errors.ts';
import { parseCronExpression } from '../../core/cron-expression.ts';
import { nextSlots } from '../../schedule/schedule-slots.ts';
import { createWebServer, ROUTE_MODULES } from '../../web/create-web-server.ts';
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
  subscribers: SubscriberService;
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
  const subscribers = createSubscriberServiceFromContext(ctx);
  const overrideDir = ctx.config.templates.dir ? ctx.resolvePath(ctx.config.templates.dir) : undefined;
  const schedules = new Map(
    ctx.config.newsletters.flatMap((n) => {
      const parsed = n.schedule ? parseCronExpression(n.schedule) : null;
      return parsed?.ok ? [[n.id, { schedule: parsed.schedule, timezone: n.timezone }] as const] : [];
    }),
  );
  const metrics = createOpsMetrics({
    store: ctx.store,
    clock: ctx.clock,
    newsletterIds: ctx.config.newsletters.map((n) => n.id),
    nextRunFor: (id) => {
      const entry = schedules.get(id);
      return entry ? (nextSlots(entry.schedule, entry.timezone, ctx.clock.now(), 1)[0]?.utc ?? null) : null;
    },
    schedulerStatus: wiring.schedulerStatus,
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
        const store = await checkStoreHealth(ctx.store, ctx.clock);
        const detail = await wiring.checkHealth?.();
        return { detail: detail ? `${store}; ${detail}` : store, warnings: await ambiguousWarnings(ctx) };
      },
    },
    { modules: [...ROUTE_MODULES, createDeskRoutes(ctx)] },
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

/** Ambiguous deliveries nobody has decided: the sends cannot finish without an operator. */
async function ambiguousWarnings(ctx: AppContext): Promise<string[]> {
  const unresolved = await ctx.store.ledger.unresolvedAmbiguous(ctx.clock.now());
  if (!unresolved.length) return [];
  const rows = unresolved.reduce((sum, edition) => sum + edition.rows, 0);
  const where =
    unresolved
      .slice(0, 5)
      .map((edition) => `${edition.editionId}: ${edition.rows}`)
      .join(', ') + (unresolved.length > 5 ? ', …' : '');
  return [
    `${rows} ambiguous deliveries unresolved (${where}); decide them with ${ctx.commandLine('deliveries resolve <edition> …')}`,
  ];
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
