import { z } from 'zod';
import { duration, httpUrl } from './schema-fields.ts';

/** Every event Tidings can send to a webhook endpoint (docs/operations.md, "Webhooks"). */
export const WEBHOOK_EVENT_TYPES = [
  'subscriber.created',
  'subscriber.confirmed',
  'subscriber.unsubscribed',
  'subscriber.erased',
  'subscriber.bounced',
  'subscriber.complained',
  'edition.prepared',
  'edition.approved',
  'edition.sent',
  'edition.skipped',
  'edition.missed',
  'source.failed',
  'source.recovered',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const endpointSchema = z.strictObject({
  /** Names the endpoint in `tidings webhooks list` and the queue; default: the URL. */
  name: z.string().min(1).max(100).optional(),
  url: httpUrl,
  /** The events this endpoint gets; omitted: every event. */
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).optional(),
  /** The environment variable holding the endpoint's `whsec_…` signing secret (never in this file, never a default). */
  secretEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as TIDINGS_WEBHOOK_SECRET'),
  /** The endpoint may be on a loopback or private address (an n8n next to Tidings); default: public addresses only. */
  allowPrivateNetwork: z.boolean().default(false),
});

/** `webhooks:` — signed event notifications (Standard Webhooks), delivered from a queue in the store. */
export const webhooksSchema = z
  .strictObject({
    endpoints: z.array(endpointSchema).default([]),
    /** How long one POST may take before it counts as failed (and is retried). */
    timeout: duration('10s').refine((ms) => ms >= 100, { message: 'must be at least 100ms' }),
    /** How long a failing delivery is retried (exponential backoff) before it is marked failed. */
    retryFor: duration('1d').refine((ms) => ms >= 60_000, { message: 'must be at least 1m' }),
    /** How often `tidings start` looks for due deliveries. */
    every: duration('5s').refine((ms) => ms >= 100, { message: 'must be at least 100ms' }),
  })
  .superRefine((webhooks, ctx) => {
    const seen = new Set<string>();
    webhooks.endpoints.forEach((endpoint, index) => {
      const name = endpoint.name ?? endpoint.url;
      if (seen.has(name))
        ctx.addIssue({ code: 'custom', path: ['endpoints', index, 'name'], message: `two endpoints named ${name}` });
      seen.add(name);
    });
  })
  .prefault({});

export type WebhooksConfig = z.output<typeof webhooksSchema>;
export type WebhookEndpointConfig = WebhooksConfig['endpoints'][number];
