import type { WebhookEndpointConfig, WebhookEventType } from '../config/webhooks-schema.ts';
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { WebhookQueue } from './webhook-queue.ts';
import { webhookEventId } from './webhook-signature.ts';

/** Something that happened, for the endpoints that want it. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** What makes this occurrence unique (an edition id, a signup id, a report id…): the event id derives from it. */
  key: string;
  data: Record<string, unknown>;
}

/** Queues events for the configured endpoints. Never throws: a failed enqueue is logged, the operation stands. */
export interface WebhookNotifier {
  fire(event: WebhookEvent): Promise<void>;
}

export const silentNotifier: WebhookNotifier = { fire: async () => {} };

export function endpointName(endpoint: WebhookEndpointConfig): string {
  return endpoint.name ?? endpoint.url;
}

/**
 * The notifier of the configured endpoints: one queue row per endpoint that takes the
 * event type, with the JSON body fixed now (`{type, timestamp, data}`). Without endpoints
 * it writes nothing.
 */
export function createWebhookNotifier(deps: {
  endpoints: readonly WebhookEndpointConfig[];
  queue: WebhookQueue;
  clock: Clock;
  logger: Logger;
}): WebhookNotifier {
  if (deps.endpoints.length === 0) return silentNotifier;
  return {
    async fire(event) {
      const takers = deps.endpoints.filter((endpoint) => !endpoint.events || endpoint.events.includes(event.type));
      if (takers.length === 0) return;
      const at = deps.clock.now();
      const payload = JSON.stringify({ type: event.type, timestamp: at.toISOString(), data: event.data });
      const eventId = webhookEventId(event.type, event.key);
      try {
        await deps.queue.enqueue(
          takers.map((endpoint) => ({ eventId, eventType: event.type, endpoint: endpointName(endpoint), payload, at })),
        );
      } catch (error) {
        deps.logger.warn({ event: event.type, eventId, error: describeError(error) }, 'webhook event not queued');
      }
    },
  };
}
