import type { CadenceFilter } from '../../subscribers/subscriber-store.ts';
import { cadenceAt, cadenceNames } from '../rows/subscriber-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/**
 * Cadence streams in SQLite (issue 26; the rules are in subscriber-store.ts,
 * CadenceFilter). `next_cadence_after` is set only together with `next_cadence`.
 */

/** A subscription's cadence at the instant bound to its one parameter. */
const EFFECTIVE = '(CASE WHEN sub.next_cadence_after < ? THEN sub.next_cadence ELSE sub.cadence END)';

/** The selected column `cadence` (one parameter: the instant, or NULL for the chosen one). */
export const EFFECTIVE_CADENCE_COLUMN = `${EFFECTIVE} AS cadence`;

/** The WHERE part keeping one stream's readers, with its parameters ('' and none without a filter). */
export function cadenceCondition(filter: CadenceFilter | undefined): { sql: string; params: (string | number)[] } {
  if (!filter) return { sql: '', params: [] };
  const at = cadenceAt(filter.at)!;
  return {
    sql: `AND (${EFFECTIVE} = ? OR (? = 1 AND COALESCE(${EFFECTIVE}, '') NOT IN (SELECT value FROM json_each(?))))`,
    params: [at, filter.name, filter.isDefault ? 1 : 0, at, JSON.stringify(cadenceNames(filter))],
  };
}

/** SubscriberStore.setCadence in one transaction. */
export function setCadenceSqlite(
  db: SqliteDatabase,
  subscriberId: number,
  newsletterId: string,
  cadence: string | null,
  at: Date,
  switchAfter: Date | null,
): boolean {
  const now = at.toISOString();
  return db.transaction(() => {
    // A change that is already due becomes the chosen cadence before anything else moves.
    db.prepare(
      `UPDATE subscriptions SET cadence = next_cadence, next_cadence = NULL, next_cadence_after = NULL
        WHERE subscriber_id = ? AND newsletter_id = ? AND next_cadence_after < ?`,
    ).run(subscriberId, newsletterId, now);
    const result =
      switchAfter === null
        ? db
            .prepare(
              `UPDATE subscriptions SET cadence = ?, next_cadence = NULL, next_cadence_after = NULL, updated_at = ?
                WHERE subscriber_id = ? AND newsletter_id = ? AND status <> 'removed'`,
            )
            .run(cadence, now, subscriberId, newsletterId)
        : db
            .prepare(
              `UPDATE subscriptions SET next_cadence = ?, next_cadence_after = ?, updated_at = ?
                WHERE subscriber_id = ? AND newsletter_id = ? AND status <> 'removed'`,
            )
            .run(cadence, switchAfter.toISOString(), now, subscriberId, newsletterId);
    return result.changes > 0;
  })();
}
