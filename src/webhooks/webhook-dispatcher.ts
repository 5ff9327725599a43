import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { WebhookEndpointConfig, WebhooksConfig } from '../config/webhooks-schema.ts';
import type { Clock } from '../core/clock.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import type { HttpClient } from '../core/http/http-client.ts';
import { describeStatus } from '../core/http/http-post.ts';
import type { Logger } from '../core/logger.ts';
import { endpointName } from './webhook-notifier.ts';
import type { WebhookDelivery, WebhookQueue } from './webhook-queue.ts';
import { parseWebhookSecret, signWebhook } from './webhook-signature.ts';

/** An endpoint ready to post to: its signing key read from the environment. */
export interface ResolvedEndpoint {
  name: string;
  url: string;
  key: Buffer;
  allowPrivateNetwork: boolean;
}

export interface WebhookDispatcherDeps {
  queue: WebhookQueue;
  endpoints: readonly ResolvedEndpoint[];
  http: Pick<HttpClient, 'post'>;
  clock: Clock;
  logger: Logger;
  settings: Pick<WebhooksConfig, 'timeout' | 'retryFor'>;
  /** Names this process's claims (host, pid, a random tag). */
  holder: string;
}

export interface DispatchReport {
  delivered: number;
  /** Attempts that failed and will be retried. */
  retrying: number;
  /** Deliveries given up (the retry window passed, or the endpoint is gone). */
  failed: number;
}

/** Rows claimed (and posted, concurrently) at a time. */
const BATCH = 16;
const FIRST_RETRY_MS = 15_000;
const LONGEST_WAIT_MS = 2 * 3_600_000;

export function dispatcherHolder(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * The configured endpoints with their secrets from the environment (`secretEnv`): a
 * missing or malformed secret is a configuration error, never a default secret.
 */
export function resolveWebhookEndpoints(
  endpoints: readonly WebhookEndpointConfig[],
  env: Record<string, string | undefined>,
  configFile: string,
): ResolvedEndpoint[] {
  const problems: string[] = [];
  const resolved = endpoints.flatMap((endpoint, index) => {
    const value = env[endpoint.secretEnv];
    const key = value ? parseWebhookSecret(value) : null;
    if (key === null || typeof key === 'string') {
      const why = value ? `${endpoint.secretEnv} ${key}` : `the environment variable ${endpoint.secretEnv} is not set`;
      problems.push(`webhooks.endpoints[${index}].secretEnv: ${why}`);
      return [];
    }
    return [
      { name: endpointName(endpoint), url: endpoint.url, key, allowPrivateNetwork: endpoint.allowPrivateNetwork },
    ];
  });
  if (problems.length) throw new ConfigError(configFile, problems);
  return resolved;
}

/**
 * When a failed row goes again: 15 s after the first failure, doubling up to 2 h between
 * attempts, until the retry window (`retryFor`, a day) from the event has passed; then
 * null (failed for good: `tidings webhooks retry` puts it back).
 */
export function nextAttemptAt(row: WebhookDelivery, now: Date, retryFor: number): Date | null {
  const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.min(row.attempts, 20), LONGEST_WAIT_MS);
  const next = new Date(now.getTime() + wait);
  return next.getTime() > row.retryFrom.getTime() + retryFor ? null : next;
}

/** Claims due rows and posts them, batch after batch, until none is due (or `signal` stops it). */
export async function deliverDueWebhooks(deps: WebhookDispatcherDeps, signal?: AbortSignal): Promise<DispatchReport> {
  const report: DispatchReport = { delivered: 0, retrying: 0, failed: 0 };
  const endpoints = new Map(deps.endpoints.map((endpoint) => [endpoint.name, endpoint]));
  // The claim outlasts every POST of the batch (they run at once), so no other process takes a row in flight.
  const leaseMs = deps.settings.timeout * 2 + 60_000;
  while (!signal?.aborted) {
    const rows = await deps.queue.claim({ holder: deps.holder, at: deps.clock.now(), leaseMs, limit: BATCH });
    if (rows.length === 0) break;
    const outcomes = await Promise.all(rows.map((row) => deliverOne(deps, endpoints.get(row.endpoint), row, signal)));
    for (const outcome of outcomes) report[outcome]++;
    if (rows.length < BATCH) break;
  }
  return report;
}

async function deliverOne(
  deps: WebhookDispatcherDeps,
  endpoint: ResolvedEndpoint | undefined,
  row: WebhookDelivery,
  signal: AbortSignal | undefined,
): Promise<keyof DispatchReport> {
  const { queue, clock, holder } = deps;
  if (!endpoint) {
    await queue.markAttemptFailed(row.id, holder, 'the endpoint is no longer configured', null, clock.now());
    return 'failed';
  }
  let error: string;
  try {
    const answer = await deps.http.post(endpoint.url, {
      body: row.payload,
      headers: signWebhook(endpoint.key, row.eventId, clock.now(), row.payload),
      timeout: deps.settings.timeout,
      untrusted: !endpoint.allowPrivateNetwork,
      signal,
    });
    if (answer.status >= 200 && answer.status < 300) {
      await queue.markDelivered(row.id, holder, clock.now());
      return 'delivered';
    }
    error = describeStatus(answer.status);
  } catch (failure) {
    error = describeError(failure);
  }
  const retryAt = nextAttemptAt(row, clock.now(), deps.settings.retryFor);
  await queue.markAttemptFailed(row.id, holder, error, retryAt, clock.now());
  deps.logger.warn(
    { endpoint: endpoint.name, event: row.eventType, webhookId: row.eventId, attempt: row.attempts + 1, error },
    retryAt ? `webhook not delivered: retry at ${retryAt.toISOString()}` : 'webhook not delivered: given up',
  );
  return retryAt ? 'retrying' : 'failed';
}
