import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createHttpClient, type HttpClient } from '../../src/core/http/http-client.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import {
  deliverDueWebhooks,
  resolveWebhookEndpoints,
  type WebhookDispatcherDeps,
} from '../../src/webhooks/webhook-dispatcher.ts';
import { createWebhookNotifier } from '../../src/webhooks/webhook-notifier.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { newSecret, startReceiver, type Behaviour, type Receiver } from './support/receiver.ts';

const tempDir = useTempDir('tidings-webhooks-');
const DAY = 86_400_000;
const open: { store: Store; http: HttpClient; receiver: Receiver }[] = [];
afterEach(async () => {
  for (const { store, http, receiver } of open.splice(0)) {
    await receiver.close();
    await http.close();
    store.close();
  }
});

const LIMITS = { maxBytes: 1_000_000, timeout: 5000, maxRedirects: 0, userAgent: 'Tidings-test' };

/** A store, a receiver behaving as `script` says, and a dispatcher for it; the clock starts now (receivers check timestamps). */
async function setUp(script: Behaviour[], options: { allowPrivateNetworks?: boolean; timeout?: number } = {}) {
  const secret = newSecret();
  const receiver = await startReceiver(secret, script);
  const store = openSqliteStore(path.join(tempDir(), 'tidings.db'));
  const http = createHttpClient({ ...LIMITS, allowPrivateNetworks: options.allowPrivateNetworks ?? true });
  open.push({ store, http, receiver });
  const clock = createFixedClock(new Date());
  const endpoints = [{ name: 'crm', url: receiver.url, secretEnv: 'CRM_SECRET', allowPrivateNetwork: false }];
  const notifier = createWebhookNotifier({ endpoints, queue: store.webhooks, clock, logger: createSilentLogger() });
  const deps: WebhookDispatcherDeps = {
    queue: store.webhooks,
    endpoints: resolveWebhookEndpoints(endpoints, { CRM_SECRET: secret }, 'tidings.config.yaml'),
    http,
    clock,
    logger: createSilentLogger(),
    settings: { timeout: options.timeout ?? 5000, retryFor: DAY },
    holder: 'test-dispatcher',
  };
  return { receiver, store, clock, notifier, deps, secret };
}

describe('webhook delivery', () => {
  it('posts a body signed as Standard Webhooks says, which the published library verifies', async () => {
    const { receiver, store, notifier, deps, secret } = await setUp([]);
    await notifier.fire({ type: 'edition.sent', key: 'daily/2026-12-07', data: { edition: 'daily/2026-12-07' } });
    expect(await deliverDueWebhooks(deps)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(hook!.error).toBeNull();
    expect(hook!.verified).toMatchObject({ type: 'edition.sent', data: { edition: 'daily/2026-12-07' } });
    expect(hook!.headers['content-type']).toBe('application/json');
    expect(hook!.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(hook!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Fired again (a rerun): the same id, nothing new queued, nothing posted twice.
    await notifier.fire({ type: 'edition.sent', key: 'daily/2026-12-07', data: { edition: 'daily/2026-12-07' } });
    expect(await deliverDueWebhooks(deps)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await store.webhooks.counts()).toEqual({ pending: 0, delivered: 1, failed: 0, failedAttempts: 0 });
    // A changed body, or another secret, does not verify: the check above is a real one.
    expect(() => new Webhook(secret).verify(hook!.body.replace('daily', 'weekly'), hook!.headers)).toThrow();
    expect(() => new Webhook(newSecret()).verify(hook!.body, hook!.headers)).toThrow();
  });

  it('retries a receiver that fails, times out and drops the connection until it comes back, with the same webhook-id', async () => {
    const { receiver, store, clock, notifier, deps } = await setUp([500, 'hang', 'drop'], { timeout: 2000 });
    await notifier.fire({ type: 'subscriber.confirmed', key: 'signup:7', data: { email: 'eve@example.org' } });
    const rounds: string[] = [];
    for (let round = 0; round < 4; round++) {
      const report = await deliverDueWebhooks(deps);
      rounds.push(`${report.delivered}/${report.retrying}/${report.failed}`);
      const [row] = await store.webhooks.list({ limit: 1 });
      if (round < 3) {
        expect(row!.status).toBe('pending');
        // Not due again at once: the backoff doubles (15 s, 30 s, 60 s).
        expect(row!.nextAttemptAt.getTime() - clock.now().getTime()).toBe(15_000 * 2 ** round);
        expect(await deliverDueWebhooks(deps)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
        clock.set(row!.nextAttemptAt);
      }
    }
    expect(rounds).toEqual(['0/1/0', '0/1/0', '0/1/0', '1/0/0']);
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    expect(receiver.received.map((hook) => hook.error)).toEqual([null, null, null, null]);
    const [row] = await store.webhooks.list({ limit: 1 });
    expect(row).toMatchObject({ status: 'delivered', attempts: 4, lastError: null });
    expect(await store.webhooks.counts()).toEqual({ pending: 0, delivered: 1, failed: 0, failedAttempts: 3 });
  });

  it('gives up after a day of retries, and `retry` gives the row another day', async () => {
    const script: Behaviour[] = Array(40).fill(503);
    const { receiver, store, clock, notifier, deps } = await setUp(script);
    await notifier.fire({ type: 'source.failed', key: 'feed@1', data: { source: 'feed' } });
    for (;;) {
      const report = await deliverDueWebhooks(deps);
      if (report.failed) break;
      const [row] = await store.webhooks.list({ limit: 1 });
      expect(row!.lastError).toBe('HTTP 503 Service Unavailable');
      clock.set(row!.nextAttemptAt);
    }
    const [failed] = await store.webhooks.list({ limit: 1 });
    expect(failed!.status).toBe('failed');
    // Given up within the day, and not long before its end (the longest wait is 2 h).
    const waited = clock.now().getTime() - failed!.createdAt.getTime();
    expect(waited).toBeLessThanOrEqual(DAY);
    expect(waited).toBeGreaterThan(DAY - 2 * 3_600_000);
    expect(receiver.received).toHaveLength(failed!.attempts);
    expect(await deliverDueWebhooks(deps)).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    script.length = 0;
    expect(await store.webhooks.retry(clock.now())).toBe(1);
    expect(await deliverDueWebhooks(deps)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
  });

  it('refuses a loopback endpoint unless the endpoint or fetch.allowPrivateNetworks allows it', async () => {
    const { receiver, store, clock, notifier, deps } = await setUp([], { allowPrivateNetworks: false });
    await notifier.fire({ type: 'edition.prepared', key: 'daily/1', data: {} });
    expect(await deliverDueWebhooks(deps)).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(receiver.received).toHaveLength(0);
    expect((await store.webhooks.list({ limit: 1 }))[0]!.lastError).toMatch(/not a public address \(loopback\)/);
    const allowed = { ...deps, endpoints: deps.endpoints.map((e) => ({ ...e, allowPrivateNetwork: true })) };
    clock.advance(15_000);
    expect(await deliverDueWebhooks(allowed)).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received.map((hook) => hook.error)).toEqual([null]);
  });
});
