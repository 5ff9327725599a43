import type { DeliveryEvent, DeliveryEventStore, EditionFeedbackCounts } from '../../delivery/delivery-events.ts';
import { toFeedbackCounts, type FeedbackCountRow } from '../rows/delivery-event-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** Bounces and complaints in PostgreSQL (sqlite-delivery-events.ts is the reference). */
export class PgDeliveryEventStore implements DeliveryEventStore {
  constructor(private readonly db: PgDatabase) {}

  async record(event: DeliveryEvent): Promise<boolean> {
    // A delivery bounces hard or draws a complaint once, however many reports say so; soft
    // bounces are each recorded. Under a transaction-level advisory lock on the delivery, so
    // two processes reading two reports of one bounce at once still record it once.
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1 || $2::text))', [event.editionId, event.subscriberId]);
      const result = await tx.query(
        `INSERT INTO delivery_events (edition_id, subscriber_id, kind, status, detail, report_id, at)
         SELECT $1, $2, $3, $4, $5, $6, $7
         WHERE $3 = 'soft-bounce' OR NOT EXISTS (
           SELECT 1 FROM delivery_events WHERE edition_id = $1 AND subscriber_id = $2 AND kind = $3)
         ON CONFLICT DO NOTHING`,
        [
          event.editionId,
          event.subscriberId,
          event.kind,
          event.status,
          event.detail,
          event.reportId,
          event.at.toISOString(),
        ],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  async editionIdsFor(subscriberId: number): Promise<string[]> {
    const { rows } = await this.db.query<{ edition_id: string }>(
      'SELECT edition_id FROM deliveries WHERE subscriber_id = $1 ORDER BY edition_id COLLATE "C" DESC',
      [subscriberId],
    );
    return rows.map((row) => row.edition_id);
  }

  async countsByEdition(newsletterId?: string): Promise<Map<string, EditionFeedbackCounts>> {
    const { rows } = await this.db.query<FeedbackCountRow>(
      `SELECT edition_id, kind, COUNT(DISTINCT subscriber_id)::int AS n FROM delivery_events
        WHERE $1::text IS NULL OR starts_with(edition_id, $1::text || '/')
        GROUP BY edition_id, kind`,
      [newsletterId ?? null],
    );
    return toFeedbackCounts(rows);
  }
}
