import type {
  NewWebhookDelivery,
  WebhookClaim,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookQueue,
  WebhookQueueCounts,
} from '../../webhooks/webhook-queue.ts';
import { toWebhookDelivery, type WebhookDeliveryRow } from '../rows/webhook-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** The webhook queue in PostgreSQL (schema/webhooks.ts): rows claimed with FOR UPDATE SKIP LOCKED, as the work queue does. */
export class PgWebhookQueue implements WebhookQueue {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async enqueue(rows: readonly NewWebhookDelivery[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { rowCount } = await this.#db.query(
      `INSERT INTO webhook_deliveries (event_id, event_type, endpoint, payload, created_at, retry_from, next_attempt_at)
       SELECT e, t, n, p, a, a, a FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r (e, t, n, p, a)
       ON CONFLICT (event_id, endpoint) DO NOTHING`,
      [
        rows.map((row) => row.eventId),
        rows.map((row) => row.eventType),
        rows.map((row) => row.endpoint),
        rows.map((row) => row.payload),
        rows.map((row) => row.at.toISOString()),
      ],
    );
    return rowCount ?? 0;
  }

  async claim(claim: WebhookClaim): Promise<WebhookDelivery[]> {
    const at = claim.at.toISOString();
    const { rows } = await this.#db.query<WebhookDeliveryRow>(
      `UPDATE webhook_deliveries SET claimed_by = $1, claimed_until = $2
       WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3)
         ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [claim.holder, new Date(claim.at.getTime() + claim.leaseMs).toISOString(), at, claim.limit],
    );
    return rows
      .map(toWebhookDelivery)
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
  }

  async markDelivered(id: number, holder: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $3, attempts = attempts + 1,
         last_error = NULL, claimed_by = NULL, claimed_until = NULL
       WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
      [id, holder, at.toISOString()],
    );
    return rowCount === 1;
  }

  async markAttemptFailed(id: number, holder: string, error: string, retryAt: Date | null): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $3,
         status = CASE WHEN $4::text IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = COALESCE($4::text, next_attempt_at), claimed_by = NULL, claimed_until = NULL
       WHERE id = $1 AND claimed_by = $2 AND status = 'pending'`,
      [id, holder, error, retryAt?.toISOString() ?? null],
    );
    return rowCount === 1;
  }

  async list(options: { status?: WebhookDeliveryStatus; limit: number }): Promise<WebhookDelivery[]> {
    const { rows } = await this.#db.query<WebhookDeliveryRow>(
      'SELECT * FROM webhook_deliveries WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2',
      [options.status ?? null, options.limit],
    );
    return rows.map(toWebhookDelivery);
  }

  async retry(at: Date, ids?: readonly number[]): Promise<number> {
    const { rowCount } = await this.#db.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, retry_from = $1,
         claimed_by = NULL, claimed_until = NULL
       WHERE status = 'failed' AND ($2::bigint[] IS NULL OR id = ANY ($2::bigint[]))`,
      [at.toISOString(), ids ? [...ids] : null],
    );
    return rowCount ?? 0;
  }

  async counts(): Promise<WebhookQueueCounts> {
    const { rows } = await this.#db.query<Record<string, string>>(
      `SELECT COUNT(*) FILTER (WHERE status = 'pending') AS pending,
         COUNT(*) FILTER (WHERE status = 'delivered') AS delivered,
         COUNT(*) FILTER (WHERE status = 'failed') AS failed,
         COALESCE(SUM(attempts), 0) - COUNT(*) FILTER (WHERE status = 'delivered') AS failed_attempts
       FROM webhook_deliveries`,
    );
    const row = rows[0]!;
    return {
      pending: Number(row.pending),
      delivered: Number(row.delivered),
      failed: Number(row.failed),
      failedAttempts: Number(row.failed_attempts),
    };
  }
}
