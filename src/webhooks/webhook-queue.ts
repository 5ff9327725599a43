/**
 * The webhook queue in the store: one row per (event, endpoint). Rows are added when
 * something happens and claimed by dispatchers (`tidings start`, `tidings webhooks
 * deliver`) like the work queue: a claim leases the row until a time, so a dispatcher
 * that dies leaves its rows to the next one, and two processes never POST the same row at
 * once. Owned here; store/sqlite and store/postgres implement it.
 */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface NewWebhookDelivery {
  /** The Standard Webhooks message id (`webhook-id`): the same for every attempt, so receivers can drop repeats. */
  eventId: string;
  eventType: string;
  /** The endpoint's name in the configuration. */
  endpoint: string;
  /** The JSON body, fixed when the event happened. */
  payload: string;
  at: Date;
}

export interface WebhookDelivery {
  id: number;
  eventId: string;
  eventType: string;
  endpoint: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  createdAt: Date;
  /** The start of the retry window (the event, or the last `tidings webhooks retry`). */
  retryFrom: Date;
  /** When a pending row is due next. */
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  /** The last attempt's error (an HTTP status or a network error), null before any. */
  lastError: string | null;
}

export interface WebhookClaim {
  holder: string;
  at: Date;
  /** The claim holds until at + leaseMs; after that another dispatcher may take the row. */
  leaseMs: number;
  limit: number;
}

export interface WebhookQueueCounts {
  pending: number;
  delivered: number;
  failed: number;
  /** Attempts that did not get a 2xx answer, over every row (a counter). */
  failedAttempts: number;
}

export interface WebhookQueue {
  /** Adds the rows; a row whose (eventId, endpoint) is queued already is left alone. Returns how many were added. */
  enqueue(rows: readonly NewWebhookDelivery[]): Promise<number>;
  /** Leases up to `limit` due pending rows (oldest due first) that nobody holds, or whose lease ran out. */
  claim(claim: WebhookClaim): Promise<WebhookDelivery[]>;
  /** The endpoint answered 2xx: the row is done. False when the holder lost the row meanwhile. */
  markDelivered(id: number, holder: string, at: Date): Promise<boolean>;
  /**
   * An attempt failed: the row is due again at `retryAt`, or failed for good when
   * `retryAt` is null. False when the holder lost the row meanwhile.
   */
  markAttemptFailed(id: number, holder: string, error: string, retryAt: Date | null, at: Date): Promise<boolean>;
  /** Newest first; optionally of one status. */
  list(options: { status?: WebhookDeliveryStatus; limit: number }): Promise<WebhookDelivery[]>;
  /** Failed rows (all, or the ids given) go back to pending, due at `at`, their retry window starting again. Returns how many. */
  retry(at: Date, ids?: readonly number[]): Promise<number>;
  counts(): Promise<WebhookQueueCounts>;
}
