import type { DeliveryEvent, DeliveryEventStore, EditionFeedbackCounts } from '../../delivery/delivery-events.ts';
import { toFeedbackCounts, type FeedbackCountRow } from '../rows/delivery-event-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

export class SqliteDeliveryEventStore implements DeliveryEventStore {
  private readonly statements;

  constructor(db: SqliteDatabase) {
    this.statements = {
      // A delivery bounces hard or draws a complaint once, however many reports say so;
      // soft bounces (delays) are each recorded. The same report is never recorded twice.
      insert: db.prepare(`
        INSERT OR IGNORE INTO delivery_events (edition_id, subscriber_id, kind, status, detail, report_id, at)
        SELECT @editionId, @subscriberId, @kind, @status, @detail, @reportId, @at
        WHERE @kind = 'soft-bounce' OR NOT EXISTS (
          SELECT 1 FROM delivery_events WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND kind = @kind)`),
      editions: db.prepare('SELECT edition_id FROM deliveries WHERE subscriber_id = ? ORDER BY edition_id DESC'),
      counts: db.prepare(`
        SELECT edition_id, kind, COUNT(DISTINCT subscriber_id) AS n FROM delivery_events
        WHERE @newsletter IS NULL OR edition_id LIKE @newsletter || '/%'
        GROUP BY edition_id, kind`),
    };
  }

  async record(event: DeliveryEvent): Promise<boolean> {
    const result = this.statements.insert.run({ ...event, at: event.at.toISOString() });
    return result.changes > 0;
  }

  async editionIdsFor(subscriberId: number): Promise<string[]> {
    return (this.statements.editions.all(subscriberId) as { edition_id: string }[]).map((row) => row.edition_id);
  }

  async countsByEdition(newsletterId?: string): Promise<Map<string, EditionFeedbackCounts>> {
    return toFeedbackCounts(this.statements.counts.all({ newsletter: newsletterId ?? null }) as FeedbackCountRow[]);
  }
}
