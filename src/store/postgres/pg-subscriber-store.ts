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
import type { PgDatabase } from './pg-database.ts';
import { cadenceCondition, effectiveCadence, setCadencePg } from './pg-cadence.ts';
import { PgSubscriberLifecycle } from './pg-subscriber-lifecycle.ts';
import { PgSubscriberSync } from './pg-subscriber-sync.ts';
import { importSubscriberPg } from './pg-subscriber-import.ts';
import type { ImportOutcome, ImportedPerson } from '../../subscribers/subscriber-import-store.ts';

const DEFAULT_BATCH = 1000;

/** `$day`: the day (YYYY-MM-DD, UTC) of the send, or NULL for "do not look at pauses". */
const notPaused = (day: string) =>
  `AND (${day}::text IS NULL OR s.paused_until IS NULL OR s.paused_until <= ${day}::text)`;
const NOT_SUPPRESSED =
  'AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.address_hash = tidings_address_hash(s.email))';

/** Subscribers in PostgreSQL (sqlite-subscriber-store.ts is the reference for every rule). */
export class PgSubscriberStore extends PgSubscriberLifecycle implements SubscriberStore {
  constructor(db: PgDatabase) {
    super(db);
  }

  async importSubscriber(person: ImportedPerson, at: Date): Promise<ImportOutcome> {
    return importSubscriberPg(this.db, person, at);
  }

  async beginSync(): Promise<SubscriberSyncSession> {
    // Staging tables are TEMP tables of one reserved connection: each sync has its own.
    return PgSubscriberSync.begin(this.db);
  }

  async *streamRecipients(
    newsletterId: string,
    options: { afterId?: number; untilId?: number; batchSize?: number; at?: Date; cadence?: CadenceFilter } = {},
  ): AsyncGenerator<Recipient> {
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const untilId =
      options.untilId ??
      (
        await this.db.query<{ max: number | null }>(
          'SELECT MAX(subscriber_id) AS max FROM subscriptions WHERE newsletter_id = $1',
          [newsletterId],
        )
      ).rows[0]?.max ??
      0;
    const slot = cadenceAt(options.cadence?.at ?? options.at);
    const cadence = cadenceCondition(options.cadence, 7);
    let afterId = options.afterId ?? 0;
    for (;;) {
      // Each page is its own short query: a long send never holds a snapshot open.
      const { rows } = await this.db.query<RecipientRow>(
        `SELECT s.id, s.email, s.name, s.first_name, s.languages, s.locale, s.timezone, sub.categories, s.hard_bounces,
                ${effectiveCadence('$6')} AS cadence
           FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
          WHERE sub.newsletter_id = $1 AND sub.subscriber_id > $2 AND sub.subscriber_id <= $3
            AND sub.status = 'active' AND s.status = 'active' ${notPaused('$4')} ${NOT_SUPPRESSED}
            ${cadence.sql}
          ORDER BY sub.subscriber_id LIMIT $5`,
        [newsletterId, afterId, untilId, pauseDay(options.at), batchSize, slot, ...cadence.params],
      );
      for (const row of rows) yield toRecipient(row);
      if (rows.length < batchSize) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  async findByEmail(email: string): Promise<SubscriberRecord | null> {
    const check = normalizeEmailAddress(email);
    if (!check.ok) return null;
    const { rows } = await this.db.query<SubscriberRow>('SELECT * FROM subscribers WHERE email = $1', [check.address]);
    return rows[0] ? (await this.withSubscriptions(rows))[0]! : null;
  }

  async getById(id: number): Promise<SubscriberRecord | null> {
    const { rows } = await this.db.query<SubscriberRow>('SELECT * FROM subscribers WHERE id = $1', [id]);
    return rows[0] ? (await this.withSubscriptions(rows))[0]! : null;
  }

  async unsubscribe(subscriberId: number, newsletterId: string, at: Date, event?: UnsubscribeEvent): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const result = await tx.query(
        `UPDATE subscriptions SET status = 'unsubscribed', origin = 'subscriber', updated_at = $1
          WHERE subscriber_id = $2 AND newsletter_id = $3 AND status = 'active'`,
        [at.toISOString(), subscriberId, newsletterId],
      );
      const changed = (result.rowCount ?? 0) > 0;
      if (changed && event) {
        await tx.query(
          'INSERT INTO unsubscribe_events (subscriber_id, newsletter_id, edition_id, channel, at) VALUES ($1, $2, $3, $4, $5)',
          [subscriberId, newsletterId, event.editionId, event.channel, at.toISOString()],
        );
      }
      return changed;
    });
  }

  async setPreferences(
    subscriberId: number,
    newsletterId: string,
    categories: readonly string[] | null,
    at: Date,
  ): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE subscriptions SET categories = $1, categories_origin = 'subscriber', updated_at = $2
        WHERE subscriber_id = $3 AND newsletter_id = $4 AND status <> 'removed'`,
      [
        categories === null ? null : JSON.stringify([...new Set(categories)]),
        at.toISOString(),
        subscriberId,
        newsletterId,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async recordHardBounce(
    subscriberId: number,
    at: Date,
    threshold: number,
  ): Promise<{ bounced: boolean; hardBounces: number }> {
    // SET expressions all see the old row, so `hard_bounces + 1` is the new count in each.
    const { rows } = await this.db.query<{ status: string; hard_bounces: number }>(
      `UPDATE subscribers SET hard_bounces = hard_bounces + 1,
         status = CASE WHEN hard_bounces + 1 >= $1 THEN 'bounced' ELSE status END,
         status_origin = CASE WHEN hard_bounces + 1 >= $1 THEN 'store' ELSE status_origin END,
         updated_at = $2
       WHERE id = $3 RETURNING status, hard_bounces`,
      [threshold, at.toISOString(), subscriberId],
    );
    if (!rows[0]) throw new TidingsError('STORE_FAILED', `no subscriber with id ${subscriberId}`);
    return { bounced: rows[0].status === 'bounced', hardBounces: rows[0].hard_bounces };
  }

  async resetBounces(subscriberId: number): Promise<void> {
    await this.db.query('UPDATE subscribers SET hard_bounces = 0 WHERE id = $1 AND hard_bounces <> 0', [subscriberId]);
  }

  async setCadence(
    subscriberId: number,
    newsletterId: string,
    cadence: string | null,
    at: Date,
    switchAfter: Date | null,
  ): Promise<boolean> {
    return setCadencePg(this.db, subscriberId, newsletterId, cadence, at, switchAfter);
  }

  async count(newsletterId: string, at?: Date, cadence?: CadenceFilter): Promise<number> {
    const condition = cadenceCondition(cadence, 3);
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
        WHERE sub.newsletter_id = $1 AND sub.status = 'active' AND s.status = 'active' ${notPaused('$2')} ${NOT_SUPPRESSED}
          ${condition.sql}`,
      [newsletterId, pauseDay(at), ...condition.params],
    );
    return rows[0]!.n;
  }

  async measureAudience(
    newsletterId: string,
    options: { afterId?: number; at?: Date; cadence?: CadenceFilter } = {},
  ): Promise<{ maxSubscriberId: number; count: number }> {
    const condition = cadenceCondition(options.cadence, 4);
    // One statement, so the bound and the count see the same snapshot.
    const { rows } = await this.db.query<{ max_id: number; n: number }>(
      `WITH bound AS (SELECT COALESCE(MAX(subscriber_id), 0) AS max_id FROM subscriptions WHERE newsletter_id = $1)
       SELECT bound.max_id, (SELECT COUNT(*)::int FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
           WHERE sub.newsletter_id = $1 AND sub.subscriber_id > $2 AND sub.subscriber_id <= bound.max_id
             AND sub.status = 'active' AND s.status = 'active' ${notPaused('$3')} ${NOT_SUPPRESSED}
             ${condition.sql}) AS n
         FROM bound`,
      [newsletterId, options.afterId ?? 0, pauseDay(options.at), ...condition.params],
    );
    return { maxSubscriberId: Number(rows[0]!.max_id), count: rows[0]!.n };
  }

  async list(options: ListSubscribersOptions = {}): Promise<SubscriberRecord[]> {
    const limit = options.limit ?? null;
    const afterId = options.afterId ?? 0;
    const { rows } = options.newsletterId
      ? await this.db.query<SubscriberRow>(
          `SELECT s.* FROM subscribers s JOIN subscriptions sub ON sub.subscriber_id = s.id
            WHERE sub.newsletter_id = $1 AND s.id > $2 AND s.status <> 'erased' ORDER BY s.id LIMIT $3`,
          [options.newsletterId, afterId, limit],
        )
      : await this.db.query<SubscriberRow>(
          `SELECT * FROM subscribers WHERE id > $1 AND status <> 'erased' ORDER BY id LIMIT $2`,
          [afterId, limit],
        );
    return this.withSubscriptions(rows);
  }

  private async withSubscriptions(rows: readonly SubscriberRow[]): Promise<SubscriberRecord[]> {
    if (rows.length === 0) return [];
    const subs = await this.db.query<SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE subscriber_id = ANY($1::int[]) ORDER BY subscriber_id, newsletter_id COLLATE "C"`,
      [rows.map((r) => r.id)],
    );
    return toSubscriberRecords(rows, subs.rows);
  }
}
