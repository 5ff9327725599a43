import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../../core/clock.ts';
import type { Ledger } from '../../delivery/ledger.ts';
import type { SourceStateStore } from '../../ingest/source-state-store.ts';
import type { StoreStats } from '../../core/store-health.ts';

/** The last send the scheduler finished, for the send-rate gauges. */
export interface LastSend {
  editionId: string;
  accepted: number;
  /** Accepted messages per second over the send. */
  ratePerSecond: number;
  finishedAt: Date;
}

/** What the scheduler tells about itself; every field optional so a bare CLI can serve metrics too. */
export interface SchedulerStatus {
  lastTickAt?: Date | null;
  lastSend?: LastSend | null;
}

export interface MetricsDeps {
  store: {
    stats: StoreStats;
    sources: Pick<SourceStateStore, 'listStates'>;
    ledger?: Pick<Ledger, 'unresolvedAmbiguous'>;
  };
  clock: Clock;
  /** The configured newsletters, one `next run` series each. */
  newsletterIds: readonly string[];
  /** The next slot the scheduler will run for a newsletter, or null when it has no schedule. */
  nextRunFor(newsletterId: string): Date | null;
  /** Read at each scrape; may read the store. */
  schedulerStatus?: () => SchedulerStatus | Promise<SchedulerStatus>;
  /** Node's process metrics (CPU, memory, event loop lag, GC); default true. */
  processMetrics?: boolean;
}

export interface OpsMetrics {
  registry: Registry;
  contentType: string;
  /** The Prometheus text exposition, read from the store at call time. */
  render(): Promise<string>;
}

const EDITION_STATUSES = ['draft', 'approved', 'sending', 'sent', 'skipped'];
const DELIVERY_STATUSES = ['pending', 'sending', 'accepted', 'failed', 'skipped'];

const seconds = (at: Date) => at.getTime() / 1000;

/**
 * Builds one registry whose metrics are computed on each scrape from the injected
 * store and scheduler status (nothing is kept in memory between scrapes, so the
 * figures are right after a restart). Build it once per process: the default process
 * metrics install observers that must not be duplicated.
 */
export function createOpsMetrics(deps: MetricsDeps): OpsMetrics {
  const registry = new Registry();
  const registers = [registry];

  new Gauge({
    name: 'tidings_editions',
    help: 'Editions in the store by status.',
    labelNames: ['status'],
    registers,
    async collect() {
      const counts = await deps.store.stats.editionsByStatus();
      for (const status of new Set([...EDITION_STATUSES, ...Object.keys(counts)]))
        this.set({ status }, counts[status] ?? 0);
    },
  });

  // prom-client collects every metric of a scrape concurrently, so each one reads its own
  // figures rather than one collect filling several metrics (they would show the last scrape's).
  new Gauge({
    name: 'tidings_deliveries',
    help: 'Ledger rows (one per edition and subscriber) by delivery status.',
    labelNames: ['status'],
    registers,
    async collect() {
      const counts = await deps.store.stats.deliveriesByStatus();
      for (const status of new Set([...DELIVERY_STATUSES, ...Object.keys(counts)]))
        this.set({ status }, counts[status] ?? 0);
    },
  });
  new Counter({
    name: 'tidings_messages_accepted_total',
    help: 'Messages accepted by the mail server, over every edition (accepted ledger rows).',
    registers,
    async collect() {
      const counts = await deps.store.stats.deliveriesByStatus();
      this.reset();
      this.inc(counts.accepted ?? 0);
    },
  });

  const ledger = deps.store.ledger;
  if (ledger) {
    new Gauge({
      name: 'tidings_ambiguous_deliveries',
      help: 'Ambiguous deliveries nobody has resolved yet (no send or live worker holds them), per newsletter: tidings deliveries resolve.',
      labelNames: ['newsletter'],
      registers,
      async collect() {
        const unresolved = await ledger.unresolvedAmbiguous(deps.clock.now());
        this.reset();
        // Every configured newsletter has a series (0 when clear), so an alert can compare against it.
        for (const newsletter of deps.newsletterIds) this.set({ newsletter }, 0);
        for (const { editionId, rows } of unresolved) this.inc({ newsletter: editionId.split('/')[0]! }, rows);
      },
    });
  }

  if (deps.schedulerStatus) registerSchedulerMetrics(registers, deps.schedulerStatus, deps.clock);

  new Counter({
    name: 'tidings_source_ingest_failures_total',
    help: 'Failed ingests per source.',
    labelNames: ['source'],
    registers,
    async collect() {
      const states = await deps.store.sources.listStates();
      this.reset();
      for (const state of states) this.inc({ source: state.source }, state.totalFailures);
    },
  });
  new Gauge({
    name: 'tidings_source_consecutive_failures',
    help: 'Failed ingests of a source in a row (0 after a success).',
    labelNames: ['source'],
    registers,
    async collect() {
      const states = await deps.store.sources.listStates();
      this.reset();
      for (const state of states) this.set({ source: state.source }, state.consecutiveFailures);
    },
  });
  new Gauge({
    name: 'tidings_source_last_success_timestamp_seconds',
    help: 'When a source was last ingested successfully, a 304 included (Unix time).',
    labelNames: ['source'],
    registers,
    async collect() {
      const states = await deps.store.sources.listStates();
      this.reset();
      for (const state of states)
        if (state.lastOkAt) this.set({ source: state.source }, Date.parse(state.lastOkAt) / 1000);
    },
  });

  new Gauge({
    name: 'tidings_newsletter_next_run_timestamp_seconds',
    help: 'The next scheduled slot of each newsletter (Unix time); absent without a schedule.',
    labelNames: ['newsletter'],
    registers,
    collect() {
      this.reset();
      for (const newsletter of deps.newsletterIds) {
        const next = deps.nextRunFor(newsletter);
        if (next) this.set({ newsletter }, seconds(next));
      }
    },
  });

  if (deps.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return { registry, contentType: registry.contentType, render: () => registry.metrics() };
}

/**
 * Only in a process that runs the scheduler: without one, "last tick 0 s ago" or "last
 * send 0 messages" would read as healthy. The last-send series carry the edition as a
 * label so that they are absent until a send has finished.
 */
function registerSchedulerMetrics(
  registers: Registry[],
  status: () => SchedulerStatus | Promise<SchedulerStatus>,
  clock: Clock,
): void {
  const startedAt = clock.now();
  new Gauge({
    name: 'tidings_scheduler_last_tick_age_seconds',
    help: 'Seconds since the scheduler last ticked (since the process started, before the first tick).',
    registers,
    async collect() {
      const lastTick = (await status()).lastTickAt ?? startedAt;
      this.set(Math.max(0, (clock.now().getTime() - lastTick.getTime()) / 1000));
    },
  });
  const lastSendGauge = (name: string, help: string, read: (last: LastSend) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['edition'],
      registers,
      async collect() {
        const last = (await status()).lastSend;
        this.reset();
        if (last) this.set({ edition: last.editionId }, read(last));
      },
    });
  lastSendGauge(
    'tidings_last_send_rate_messages_per_second',
    'Accepted messages per second over the last finished send.',
    (l) => l.ratePerSecond,
  );
  lastSendGauge('tidings_last_send_accepted', 'Messages accepted by the last finished send.', (l) => l.accepted);
  lastSendGauge('tidings_last_send_finished_timestamp_seconds', 'When the last send finished (Unix time).', (l) =>
    seconds(l.finishedAt),
  );
}

/**
 * `GET /metrics` on a Fastify instance. A failing store answers 500 with one line of
 * text (Prometheus records the scrape as failed) rather than a partial exposition.
 */
/** A socket address on this machine (IPv4, IPv6 or IPv4-mapped loopback). */
function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

/**
 * Who may read the metrics. With a token (`web.metricsToken`), a request carrying
 * `Authorization: Bearer <token>`; without one, only a client on this machine that is not
 * a reverse proxy forwarding someone else (no X-Forwarded-For or Forwarded header).
 */
export function metricsAccess(request: FastifyRequest, token: string | undefined): 'ok' | 'unauthorized' | 'forbidden' {
  if (token) {
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1] ?? '', 'utf8');
    const expected = Buffer.from(token, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'unauthorized';
  }
  const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  return isLoopbackAddress(request.socket.remoteAddress) && !forwarded ? 'ok' : 'forbidden';
}

/**
 * `GET /metrics`: never rate limited (Prometheus scrapes on its own schedule), and
 * readable only as metricsAccess allows (401 asks for the bearer token; 403 without one
 * configured, from another machine).
 */
export function registerMetricsRoute(
  app: Pick<FastifyInstance, 'get'>,
  metrics: OpsMetrics,
  options: { path?: string; token?: string } = {},
): void {
  app.get(options.path ?? '/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    const access = metricsAccess(request, options.token);
    if (access !== 'ok') {
      if (access === 'unauthorized') reply.header('www-authenticate', 'Bearer realm="tidings metrics"');
      return reply
        .code(access === 'unauthorized' ? 401 : 403)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          access === 'unauthorized'
            ? 'metrics: send Authorization: Bearer <web.metricsToken>\n'
            : 'metrics: only from this machine (set web.metricsToken to scrape from elsewhere)\n',
        );
    }
    try {
      const body = await metrics.render();
      return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
    } catch (error) {
      return reply
        .code(500)
        .header('content-type', 'text/plain; charset=utf-8')
        .send(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  });
}
