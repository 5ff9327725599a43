import type {
  NewWebhookDelivery,
  WebhookClaim,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookQueue,
  WebhookQueueCounts,
} from '../../webhooks/webhook-queue.ts';
import { toWebhookDelivery, type WebhookDeliveryRow } from '../rows/webhook-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/** The webhook queue in SQLite (migration 19): a claim is one IMMEDIATE transaction, so two processes never share a row. */
export class SqliteWebhookQueue implements WebhookQueue {
  private readonly statements;

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO webhook_deliveries (event_id, event_type, endpoint, payload, created_at, retry_from, next_attempt_at)
         VALUES (@eventId, @eventType, @endpoint, @payload, @at, @at, @at)
         ON CONFLICT (event_id, endpoint) DO NOTHING`,
      ),
      due: db.prepare(
        `SELECT * FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= @at AND (claimed_until IS NULL OR claimed_until <= @at)
         ORDER BY next_attempt_at, id LIMIT @limit`,
      ),
      lease: db.prepare('UPDATE webhook_deliveries SET claimed_by = @holder, claimed_until = @until WHERE id = @id'),
      delivered: db.prepare(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = @at, attempts = attempts + 1,
           last_error = NULL, claimed_by = NULL, claimed_until = NULL
         WHERE id = @id AND claimed_by = @holder AND status = 'pending'`,
      ),
      attemptFailed: db.prepare(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = @error,
           status = CASE WHEN @retryAt IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = COALESCE(@retryAt, next_attempt_at), claimed_by = NULL, claimed_until = NULL
         WHERE id = @id AND claimed_by = @holder AND status = 'pending'`,
      ),
      list: db.prepare(
        'SELECT * FROM webhook_deliveries WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit',
      ),
      counts: db.prepare(
        `SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'delivered'), 0) AS delivered,
           COALESCE(SUM(status = 'failed'), 0) AS failed,
           COALESCE(SUM(attempts), 0) - COALESCE(SUM(status = 'delivered'), 0) AS failed_attempts
         FROM webhook_deliveries`,
      ),
    };
  }

  async enqueue(rows: readonly NewWebhookDelivery[]): Promise<number> {
    return this.db.transaction(() => {
      let added = 0;
      for (const row of rows) added += this.statements.insert.run({ ...row, at: row.at.toISOString() }).changes;
      return added;
    })();
  }

  async claim(claim: WebhookClaim): Promise<WebhookDelivery[]> {
    const at = claim.at.toISOString();
    const until = new Date(claim.at.getTime() + claim.leaseMs).toISOString();
    return this.db
      .transaction(() => {
        const rows = this.statements.due.all({ at, limit: claim.limit }) as WebhookDeliveryRow[];
        for (const row of rows) this.statements.lease.run({ holder: claim.holder, until, id: row.id });
        return rows.map(toWebhookDelivery);
      })
      .immediate();
  }

  async markDelivered(id: number, holder: string, at: Date): Promise<boolean> {
    return this.statements.delivered.run({ id, holder, at: at.toISOString() }).changes === 1;
  }

  async markAttemptFailed(id: number, holder: string, error: string, retryAt: Date | null): Promise<boolean> {
    const result = this.statements.attemptFailed.run({ id, holder, error, retryAt: retryAt?.toISOString() ?? null });
    return result.changes === 1;
  }

  async list(options: { status?: WebhookDeliveryStatus; limit: number }): Promise<WebhookDelivery[]> {
    const rows = this.statements.list.all({ status: options.status ?? null, limit: options.limit });
    return (rows as WebhookDeliveryRow[]).map(toWebhookDelivery);
  }

  async retry(at: Date, ids?: readonly number[]): Promise<number> {
    const iso = at.toISOString();
    const only = ids ? `AND id IN (${ids.map(() => '?').join(', ') || 'NULL'})` : '';
    const result = this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, retry_from = ?,
           claimed_by = NULL, claimed_until = NULL WHERE status = 'failed' ${only}`,
      )
      .run(iso, iso, ...(ids ?? []));
    return result.changes;
  }

  async counts(): Promise<WebhookQueueCounts> {
    const row = this.statements.counts.get() as Record<string, number>;
    return {
      pending: row.pending!,
      delivered: row.delivered!,
      failed: row.failed!,
      failedAttempts: row.failed_attempts!,
    };
  }
}
