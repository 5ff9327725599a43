import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { sourceHealth } from '../../src/app/source-health.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { createOpsMetrics, registerMetricsRoute, type MetricsDeps } from '../../src/web/ops/metrics.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text exposition format, enough of it for these metrics: `name{a="b",…} value`. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const NOW = '2026-12-01T09:00:00Z';

async function seedStore(store: Store): Promise<void> {
  const at = new Date('2026-12-01T07:00:00Z');
  const edition = (slot: string) => ({
    id: `daily/${slot}`,
    newsletterId: 'daily',
    slot: `${slot}:00Z`,
    slotUtc: `${slot}:00.000Z`,
    status: 'draft' as const,
    statusReason: null,
    articles: [],
  });
  await store.editions.createEdition(edition('2026-11-29T07:00'), at);
  await store.editions.createEdition(edition('2026-11-30T07:00'), at);
  await store.editions.createEdition(edition('2026-12-01T07:00'), at);
  await store.editions.setStatus('daily/2026-11-29T07:00', 'sent', { at });
  await store.editions.setStatus('daily/2026-11-30T07:00', 'skipped', { at, reason: 'thin' });

  const editionId = 'daily/2026-11-29T07:00';
  await store.ledger.ensurePending(editionId, [1, 2, 3, 4]);
  for (const id of [1, 2]) {
    await store.ledger.claim(editionId, id, at);
    await store.ledger.recordAccepted(editionId, id, at, {
      messageId: `<${id}@x>`,
      response: '250 ok',
      segment: 's',
      articleIds: [],
    });
  }
  await store.ledger.claim(editionId, 3, at);
  await store.ledger.recordFailed(editionId, 3, at, {
    code: '550',
    text: 'no such user',
    retryable: false,
    attempts: 1,
  });

  await store.sources.recordSuccess('harbour', new Date('2026-12-01T08:00:00Z'), {
    location: 'http://h/feed',
    validators: null,
  });
  await store.sources.recordFailure('harbour', new Date('2026-12-01T08:30:00Z'), {
    error: 'HTTP 503',
    errorCode: 'SOURCE_FETCH',
  });
  await store.sources.recordFailure('harbour', new Date('2026-12-01T08:45:00Z'), {
    error: 'HTTP 503',
    errorCode: 'SOURCE_FETCH',
  });
  await store.sources.recordSuccess('weekly', new Date('2026-12-01T08:10:00Z'), {
    location: 'http://w/feed',
    validators: { etag: '"w"', lastModified: null },
  });
}

describe('GET /metrics from a real Fastify server', () => {
  const tempDir = useTempDir();
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(deps: MetricsDeps): Promise<string> {
    const app: FastifyInstance = Fastify({ logger: false });
    registerMetricsRoute(app, createOpsMetrics(deps));
    await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => app.close());
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}/metrics`;
  }

  it('exposes editions, deliveries, send rate, ingest failures, next runs and process metrics', async () => {
    const store = openSqliteStore(path.join(tempDir(), 'metrics.db'));
    cleanups.push(() => store.close());
    await seedStore(store);
    const clock = createFixedClock(NOW);
    // harbour brought an item every 6 hours for a week, then nothing for three days.
    for (let i = 0; i < 28; i++) {
      const at = new Date(Date.parse(NOW) - (3 * 24 + i * 6) * 3_600_000);
      await store.articles.saveArticles(
        [makeRecord({ id: `h${i}`, source: 'harbour', url: `https://h.example/${i}`, publishedAt: at.toISOString() })],
        at,
      );
    }
    const watched = { sources: ['harbour', 'weekly'].map((name) => ({ name, type: 'feed' as const })) };
    const url = await serve({
      readings: store,
      clock,
      sourceHealth: () =>
        sourceHealth({ ...watched, states: store.sources, activity: store.sourceActivity }, clock.now()),
      newsletterIds: ['daily', 'weekly', 'adhoc'],
      nextRunFor: (id) =>
        id === 'daily' ? new Date('2026-12-02T07:00:00Z') : id === 'weekly' ? new Date('2026-12-07T12:00:00Z') : null,
      schedulerStatus: () => ({
        lastTickAt: new Date('2026-12-01T08:59:30Z'),
        lastSend: {
          editionId: 'daily/2026-11-29T07:00',
          accepted: 2,
          ratePerSecond: 12.5,
          finishedAt: new Date('2026-11-29T07:00:05Z'),
        },
      }),
    });

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseExposition(await response.text());

    expect(value(samples, 'tidings_editions', { status: 'draft' })).toBe(1);
    expect(value(samples, 'tidings_editions', { status: 'sent' })).toBe(1);
    expect(value(samples, 'tidings_editions', { status: 'skipped' })).toBe(1);
    expect(value(samples, 'tidings_editions', { status: 'sending' })).toBe(0);
    expect(value(samples, 'tidings_deliveries', { status: 'accepted' })).toBe(2);
    expect(value(samples, 'tidings_deliveries', { status: 'failed' })).toBe(1);
    expect(value(samples, 'tidings_deliveries', { status: 'pending' })).toBe(1);
    expect(value(samples, 'tidings_messages_accepted_total')).toBe(2);
    expect(types.get('tidings_messages_accepted_total')).toBe('counter');
    expect(value(samples, 'tidings_last_send_rate_messages_per_second', { edition: 'daily/2026-11-29T07:00' })).toBe(
      12.5,
    );
    expect(value(samples, 'tidings_last_send_accepted', { edition: 'daily/2026-11-29T07:00' })).toBe(2);
    expect(value(samples, 'tidings_last_send_finished_timestamp_seconds', { edition: 'daily/2026-11-29T07:00' })).toBe(
      Date.parse('2026-11-29T07:00:05Z') / 1000,
    );
    expect(value(samples, 'tidings_scheduler_last_tick_age_seconds')).toBe(30);
    expect(value(samples, 'tidings_source_ingest_failures_total', { source: 'harbour' })).toBe(2);
    expect(value(samples, 'tidings_source_ingest_failures_total', { source: 'weekly' })).toBe(0);
    expect(types.get('tidings_source_ingest_failures_total')).toBe('counter');
    expect(value(samples, 'tidings_source_consecutive_failures', { source: 'harbour' })).toBe(2);
    expect(value(samples, 'tidings_source_last_success_timestamp_seconds', { source: 'weekly' })).toBe(
      Date.parse('2026-12-01T08:10:00Z') / 1000,
    );
    expect(value(samples, 'tidings_source_warning', { source: 'harbour', kind: 'quiet' })).toBe(1);
    const warned = samples.filter((sample) => sample.name === 'tidings_source_warning' && sample.value === 1);
    expect(warned).toHaveLength(1);
    expect(value(samples, 'tidings_source_warning', { source: 'weekly', kind: 'quiet' })).toBe(0);
    expect(value(samples, 'tidings_source_warning', { source: 'harbour', kind: 'shrunk' })).toBe(0);
    expect(value(samples, 'tidings_newsletter_next_run_timestamp_seconds', { newsletter: 'daily' })).toBe(
      Date.parse('2026-12-02T07:00:00Z') / 1000,
    );
    expect(value(samples, 'tidings_newsletter_next_run_timestamp_seconds', { newsletter: 'weekly' })).toBe(
      Date.parse('2026-12-07T12:00:00Z') / 1000,
    );
    expect(value(samples, 'tidings_newsletter_next_run_timestamp_seconds', { newsletter: 'adhoc' })).toBeUndefined();
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    // Figures are read from the store at each scrape: a new acceptance shows up at once.
    await store.ledger.claim('daily/2026-11-29T07:00', 4, clock.now());
    await store.ledger.recordAccepted('daily/2026-11-29T07:00', 4, clock.now(), {
      messageId: '<4@x>',
      response: '250 ok',
      segment: 's',
      articleIds: [],
    });
    clock.advance(60_000);
    const again = parseExposition(await (await fetch(url)).text()).samples;
    expect(value(again, 'tidings_messages_accepted_total')).toBe(3);
    expect(value(again, 'tidings_deliveries', { status: 'pending' })).toBe(0);
    expect(value(again, 'tidings_scheduler_last_tick_age_seconds')).toBe(90);
  });

  it('without a scheduler, leaves its series out; a failing store answers 500 and the next scrape recovers', async () => {
    const store = openSqliteStore(path.join(tempDir(), 'metrics.db'));
    cleanups.push(() => store.close());
    let failNext = false;
    const url = await serve({
      readings: {
        sources: store.sources,
        stats: {
          editionsByStatus: async () => {
            if (failNext) {
              failNext = false;
              throw new Error('database is locked');
            }
            return store.stats.editionsByStatus();
          },
          deliveriesByStatus: () => store.stats.deliveriesByStatus(),
        },
      },
      clock: createFixedClock(NOW),
      newsletterIds: ['daily'],
      nextRunFor: () => null,
      processMetrics: false,
    });
    const { samples } = parseExposition(await (await fetch(url)).text());
    expect(value(samples, 'tidings_editions', { status: 'draft' })).toBe(0);
    expect(value(samples, 'tidings_messages_accepted_total')).toBe(0);
    expect(
      samples.some(
        (s) => s.name.startsWith('tidings_last_send') || s.name === 'tidings_scheduler_last_tick_age_seconds',
      ),
    ).toBe(false);
    expect(samples.some((s) => s.name.startsWith('process_'))).toBe(false);

    failNext = true;
    const failed = await fetch(url);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('metrics unavailable: database is locked\n');
    expect((await fetch(url)).status).toBe(200);
  });
});
