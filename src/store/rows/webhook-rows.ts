import type { WebhookDelivery, WebhookDeliveryStatus } from '../../webhooks/webhook-queue.ts';

/** A webhook_deliveries row as both stores return it (times as ISO text). */
export interface WebhookDeliveryRow {
  id: number | string;
  event_id: string;
  event_type: string;
  endpoint: string;
  payload: string;
  status: string;
  attempts: number;
  created_at: string;
  retry_from: string;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    eventType: row.event_type,
    endpoint: row.endpoint,
    payload: row.payload,
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at),
    retryFrom: new Date(row.retry_from),
    nextAttemptAt: new Date(row.next_attempt_at),
    deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
    lastError: row.last_error,
  };
}

/** The table, in the SQL both stores accept (`text` is TEXT COLLATE "C" in PostgreSQL, so ISO times sort). */
export function webhookDeliveriesTable(id: string, text: string): string {
  return `
    -- One row per (event, endpoint): the webhook queue (src/webhooks/). The event id is
    -- the webhook-id every attempt carries, so a receiver can drop repeats.
    CREATE TABLE webhook_deliveries (
      id ${id},
      event_id ${text} NOT NULL,
      event_type ${text} NOT NULL,
      endpoint ${text} NOT NULL,
      payload ${text} NOT NULL,
      status ${text} NOT NULL DEFAULT 'pending', -- pending | delivered | failed
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at ${text} NOT NULL,
      retry_from ${text} NOT NULL,
      next_attempt_at ${text} NOT NULL,
      claimed_by ${text},
      claimed_until ${text},
      delivered_at ${text},
      last_error ${text},
      UNIQUE (event_id, endpoint)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  `;
}
