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
              `UPDATE subscriptions SET cadence = ?, cadence_origin = 'subscriber', next_cadence = NULL, next_cadence_after = NULL, updated_at = ?
                WHERE subscriber_id = ? AND newsletter_id = ? AND status <> 'removed'`,
            )
            .run(cadence, now, subscriberId, newsletterId)
        : db
            .prepare(
              `UPDATE subscriptions SET next_cadence = ?, next_cadence_after = ?, cadence_origin = 'subscriber', updated_at = ?
                WHERE subscriber_id = ? AND newsletter_id = ? AND status <> 'removed'`,
            )
            .run(cadence, switchAfter.toISOString(), now, subscriberId, newsletterId);
    return result.changes > 0;
  })();
}

/**
 * Subscriber files' cadences in a sync (sqlite-subscriber-sync.ts): staged per address
 * and newsletter (a later row wins), applied after the subscriptions, at once, where the
 * files still decide the cadence (`cadence_origin = 'file'`).
 */
export const CADENCE_STAGING = `
  DROP TABLE IF EXISTS temp.sync_cadences;
  CREATE TEMP TABLE sync_cadences (
    email TEXT NOT NULL, newsletter_id TEXT NOT NULL, cadence TEXT NOT NULL, PRIMARY KEY (email, newsletter_id)
  ) WITHOUT ROWID;
`;
export const DROP_CADENCE_STAGING = 'DROP TABLE IF EXISTS temp.sync_cadences;';
export const STAGE_CADENCE = `INSERT INTO temp.sync_cadences (email, newsletter_id, cadence) VALUES (?, ?, ?)
  ON CONFLICT (email, newsletter_id) DO UPDATE SET cadence = excluded.cadence`;

const FILE_CADENCE_CHANGES = `
  FROM temp.sync_cadences c JOIN temp.sync_subscribers t ON t.email = c.email
  WHERE m.subscriber_id = t.subscriber_id AND m.newsletter_id = c.newsletter_id
    AND m.cadence_origin = 'file' AND m.cadence IS NOT c.cadence`;

/** Listed subscribers whose cadence the files change (run before the merge writes anything). */
export const MARK_CHANGED_CADENCES = `
  UPDATE temp.sync_subscribers SET changed = 1 WHERE is_new = 0 AND changed = 0 AND email IN (
    SELECT c.email FROM main.subscriptions m, temp.sync_cadences c JOIN temp.sync_subscribers t ON t.email = c.email
     WHERE m.subscriber_id = t.subscriber_id AND m.newsletter_id = c.newsletter_id
       AND m.cadence_origin = 'file' AND m.cadence IS NOT c.cadence)
`;

/** The files' cadence, in effect at once (an operator's edit; a pending change of the files' is dropped). */
export const APPLY_FILE_CADENCES = `
  UPDATE main.subscriptions AS m SET cadence = c.cadence, next_cadence = NULL, next_cadence_after = NULL, updated_at = @now
  ${FILE_CADENCE_CHANGES}
`;
