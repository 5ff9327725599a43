import { TidingsError } from '../../core/errors.ts';
import { normalizeEmailAddress } from '../../subscribers/email-address.ts';
import type {
  CadenceFilter,
  ListSubscribersOptions,
  Recipient,
  SubscriberRecord,
  SubscriberStore,
  SubscriberSyncSession,
  UnsubscribeEvent,
} from '../../subscribers/subscriber-store.ts';
import {
  cadenceAt,
  pauseDay,
  toRecipient,
  toSubscriberRecords,
  type RecipientRow,
  type SubscriberRow,
  type SubscriptionRow,
} from '../rows/subscriber-rows.ts';
import type { SqliteDatabase } from './open-database.ts';
import { EFFECTIVE_CADENCE_COLUMN, cadenceCondition, setCadenceSqlite } from './sqlite-cadence.ts';
import { SqliteSubscriberLifecycle } from './sqlite-subscriber-lifecycle.ts';
import { SqliteSubscriberSync } from './sqlite-subscriber-sync.ts';
import { importSubscriberSqlite } from './sqlite-subscriber-import.ts';
import type { ImportOutcome, ImportedPerson } from '../../subscribers/subscriber-import-store.ts';

const DEFAULT_BATCH = 1000;

/** Two parameters: the day (YYYY-MM-DD, UTC) of the send, or NULL for "do not look at pauses". */
const NOT_PAUSED = 'AND (? IS NULL OR s.paused_until IS NULL OR s.paused_until <= ?)';
/**
 * `tidings_address_hash` is registered on every connection (open-database.ts). A send
 * reads the suppressions once at its start; one added later is caught by the claim.
 */
export const NOT_SUPPRESSED =
  'AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.address_hash = tidings_address_hash(s.email))';

/** Subscribers in the embedded SQLite store. */
export class SqliteSubscriberStore extends SqliteSubscriberLifecycle implements SubscriberStore {
  private syncing = false;

  private resetBouncesStatement: ReturnType<SqliteDatabase['prepare']> | null = null;

  constructor(db: SqliteDatabase) {
    super(db);
  }

  async importSubscriber(person: ImportedPerson, at: Date): Promise<ImportOutcome> {
    return importSubscriberSqlite(this.db, person, at);
  }

  async beginSync(): Promise<SubscriberSyncSession> {
    // The staging tables are per connection: one sync at a time on it.
    if (this.syncing) throw new TidingsError('STORE_FAILED', 'a subscriber sync is already running on this store');
    this.syncing = true;
    try {
      return new SqliteSubscriberSync(this.db, () => {
        this.syncing = false;
      });
    } catch (error) {
      this.syncing = false;
      throw error;
    }
  }

  async *streamRecipients(
    newsletterId: string,
    options: { afterId?: number; untilId?: number; batchSize?: number; at?: Date; cadence?: CadenceFilter } = {},
  ): AsyncGenerator<Recipient> {
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const untilId =
      options.untilId ??
      (this.db
        .prepare('SELECT MAX(subscriber_id) FROM subscriptions WHERE newsletter_id = ?')
        .pluck()
        .get(newsletterId) as number | null) ??
      0;
    const day = pauseDay(options.at);
    const slot = cadenceAt(options.cadence?.at ?? options.at);
    const cadence = cadenceCondition(options.cadence);
    const suppressions = this.db.prepare('SELECT EXISTS (SELECT 1 FROM suppressions)').pluck().get() === 1;
    const page = this.db.prepare<unknown[], RecipientRow>(
      `SELECT s.id, s.email, s.name, s.first_name, s.languages, s.locale, s.timezone, sub.categories, s.hard_bounces,
              ${EFFECTIVE_CADENCE_COLUMN}
         FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
        WHERE sub.newsletter_id = ? AND sub.subscriber_id > ? AND sub.subscriber_id <= ?
          AND sub.status = 'active' AND s.status = 'active' ${NOT_PAUSED} ${suppressions ? NOT_SUPPRESSED : ''}
          ${cadence.sql}
        ORDER BY sub.subscriber_id LIMIT ?`,
    );
    let afterId = options.afterId ?? 0;
    for (;;) {
      // Each page is its own short read: a long send never holds a snapshot open.
      const rows = page.all(slot, newsletterId, afterId, untilId, day, day, ...cadence.params, batchSize);
      for (const row of rows) yield toRecipient(row);
      if (rows.length < batchSize) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  async findByEmail(email: string): Promise<SubscriberRecord | null> {
    const check = normalizeEmailAddress(email);
    if (!check.ok) return null;
    const row = this.db
      .prepare<[string], SubscriberRow>('SELECT * FROM subscribers WHERE email = ?')
      .get(check.address);
    return row ? this.withSubscriptions([row])[0]! : null;
  }

  async getById(id: number): Promise<SubscriberRecord | null> {
    const row = this.db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?').get(id);
    return row ? this.withSubscriptions([row])[0]! : null;
  }

  async unsubscribe(subscriberId: number, newsletterId: string, at: Date, event?: UnsubscribeEvent): Promise<boolean> {
    return this.db.transaction(() => {
      const result = this.db
        .prepare(
          `UPDATE subscriptions SET status = 'unsubscribed', origin = 'subscriber', updated_at = ?
            WHERE subscriber_id = ? AND newsletter_id = ? AND status = 'active'`,
        )
        .run(at.toISOString(), subscriberId, newsletterId);
      if (result.changes > 0 && event) {
        this.db
          .prepare(
            'INSERT INTO unsubscribe_events (subscriber_id, newsletter_id, edition_id, channel, at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(subscriberId, newsletterId, event.editionId, event.channel, at.toISOString());
      }
      return result.changes > 0;
    })();
  }

  async setPreferences(
    subscriberId: number,
    newsletterId: string,
    categories: readonly string[] | null,
    at: Date,
  ): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE subscriptions SET categories = ?, categories_origin = 'subscriber', updated_at = ?
          WHERE subscriber_id = ? AND newsletter_id = ? AND status <> 'removed'`,
      )
      .run(
        categories === null ? null : JSON.stringify([...new Set(categories)]),
        at.toISOString(),
        subscriberId,
        newsletterId,
      );
    return result.changes > 0;
  }

  async recordHardBounce(
    subscriberId: number,
    at: Date,
    threshold: number,
  ): Promise<{ bounced: boolean; hardBounces: number }> {
    // SET expressions all see the old row, so `hard_bounces + 1` is the new count in each.
    const row = this.db
      .prepare<[{ threshold: number; now: string; id: number }], { status: string; hard_bounces: number }>(
        `UPDATE subscribers SET hard_bounces = hard_bounces + 1,
           status = CASE WHEN hard_bounces + 1 >= @threshold THEN 'bounced' ELSE status END,
           status_origin = CASE WHEN hard_bounces + 1 >= @threshold THEN 'store' ELSE status_origin END,
           updated_at = @now
         WHERE id = @id RETURNING status, hard_bounces`,
      )
      .get({ threshold, now: at.toISOString(), id: subscriberId });
    if (!row) throw new TidingsError('STORE_FAILED', `no subscriber with id ${subscriberId}`);
    return { bounced: row.status === 'bounced', hardBounces: row.hard_bounces };
  }

  async resetBounces(subscriberId: number): Promise<void> {
    // Once per accepted message: the statement is prepared once per store.
    this.resetBouncesStatement ??= this.db.prepare(
      'UPDATE subscribers SET hard_bounces = 0 WHERE id = ? AND hard_bounces <> 0',
    );
    this.resetBouncesStatement.run(subscriberId);
  }

  async setCadence(
    subscriberId: number,
    newsletterId: string,
    cadence: string | null,
    at: Date,
    switchAfter: Date | null,
  ): Promise<boolean> {
    return setCadenceSqlite(this.db, subscriberId, newsletterId, cadence, at, switchAfter);
  }

  async count(newsletterId: string, at?: Date, cadence?: CadenceFilter): Promise<number> {
    const day = pauseDay(at);
    const condition = cadenceCondition(cadence);
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
          WHERE sub.newsletter_id = ? AND sub.status = 'active' AND s.status = 'active' ${NOT_PAUSED} ${NOT_SUPPRESSED}
            ${condition.sql}`,
      )
      .pluck()
      .get(newsletterId, day, day, ...condition.params) as number;
  }

  async measureAudience(
    newsletterId: string,
    options: { afterId?: number; at?: Date; cadence?: CadenceFilter } = {},
  ): Promise<{ maxSubscriberId: number; count: number }> {
    const day = pauseDay(options.at);
    const condition = cadenceCondition(options.cadence);
    // One statement, so the bound and the count see the same rows.
    const row = this.db
      .prepare<unknown[], { max_id: number; n: number }>(
        `WITH bound AS (SELECT COALESCE(MAX(subscriber_id), 0) AS max_id FROM subscriptions WHERE newsletter_id = ?)
         SELECT bound.max_id, (SELECT COUNT(*) FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
             WHERE sub.newsletter_id = ? AND sub.subscriber_id > ? AND sub.subscriber_id <= bound.max_id
               AND sub.status = 'active' AND s.status = 'active' ${NOT_PAUSED} ${NOT_SUPPRESSED}
               ${condition.sql}) AS n
           FROM bound`,
      )
      .get(newsletterId, newsletterId, options.afterId ?? 0, day, day, ...condition.params)!;
    return { maxSubscriberId: row.max_id, count: row.n };
  }

  async list(options: ListSubscribersOptions = {}): Promise<SubscriberRecord[]> {
    const limit = options.limit ?? -1;
    const afterId = options.afterId ?? 0;
    const rows = options.newsletterId
      ? this.db
          .prepare<[string, number, number], SubscriberRow>(
            `SELECT s.* FROM subscribers s JOIN subscriptions sub ON sub.subscriber_id = s.id
              WHERE sub.newsletter_id = ? AND s.id > ? AND s.status <> 'erased' ORDER BY s.id LIMIT ?`,
          )
          .all(options.newsletterId, afterId, limit)
      : this.db
          .prepare<[number, number], SubscriberRow>(
            `SELECT * FROM subscribers WHERE id > ? AND status <> 'erased' ORDER BY id LIMIT ?`,
          )
          .all(afterId, limit);
    return this.withSubscriptions(rows);
  }

  private withSubscriptions(rows: readonly SubscriberRow[]): SubscriberRecord[] {
    if (rows.length === 0) return [];
    const subs = this.db
      .prepare<[string], SubscriptionRow>(
        `SELECT * FROM subscriptions WHERE subscriber_id IN (SELECT value FROM json_each(?)) ORDER BY subscriber_id, newsletter_id`,
      )
      .all(JSON.stringify(rows.map((r) => r.id)));
    return toSubscriberRecords(rows, subs);
  }
}
