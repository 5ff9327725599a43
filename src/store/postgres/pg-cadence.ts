import type { CadenceFilter } from '../../subscribers/subscriber-store.ts';
import { cadenceAt, cadenceNames } from '../rows/subscriber-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** Cadence streams in PostgreSQL (sqlite-cadence.ts is the reference for every rule). */

/** A subscription's cadence at the instant in parameter `$n` (NULL: the chosen one). */
export const effectiveCadence = (at: string) =>
  `(CASE WHEN sub.next_cadence_after < ${at}::text THEN sub.next_cadence ELSE sub.cadence END)`;

/**
 * The WHERE part keeping one stream's readers, its parameters numbered from `first`
 * ('' and none without a filter).
 */
export function cadenceCondition(
  filter: CadenceFilter | undefined,
  first: number,
): { sql: string; params: (string | boolean | string[])[] } {
  if (!filter) return { sql: '', params: [] };
  const [at, name, isDefault, names] = [first, first + 1, first + 2, first + 3].map((n) => `$${n}`);
  const effective = effectiveCadence(at!);
  return {
    sql: `AND (${effective} = ${name}::text OR (${isDefault}::boolean AND COALESCE(${effective}, '') <> ALL(${names}::text[])))`,
    params: [cadenceAt(filter.at)!, filter.name, filter.isDefault, cadenceNames(filter)],
  };
}

/** SubscriberStore.setCadence in one transaction. */
export async function setCadencePg(
  db: PgDatabase,
  subscriberId: number,
  newsletterId: string,
  cadence: string | null,
  at: Date,
  switchAfter: Date | null,
): Promise<boolean> {
  const now = at.toISOString();
  return db.transaction(async (tx) => {
    // A change that is already due becomes the chosen cadence before anything else moves.
    await tx.query(
      `UPDATE subscriptions SET cadence = next_cadence, next_cadence = NULL, next_cadence_after = NULL
        WHERE subscriber_id = $1 AND newsletter_id = $2 AND next_cadence_after < $3`,
      [subscriberId, newsletterId, now],
    );
    const result =
      switchAfter === null
        ? await tx.query(
            `UPDATE subscriptions SET cadence = $1, cadence_origin = 'subscriber', next_cadence = NULL, next_cadence_after = NULL, updated_at = $2
              WHERE subscriber_id = $3 AND newsletter_id = $4 AND status <> 'removed'`,
            [cadence, now, subscriberId, newsletterId],
          )
        : await tx.query(
            `UPDATE subscriptions SET next_cadence = $1, next_cadence_after = $2, cadence_origin = 'subscriber', updated_at = $3
              WHERE subscriber_id = $4 AND newsletter_id = $5 AND status <> 'removed'`,
            [cadence, switchAfter.toISOString(), now, subscriberId, newsletterId],
          );
    return (result.rowCount ?? 0) > 0;
  });
}

/** Subscriber files' cadences in a sync (sqlite-cadence.ts holds the rules; pg-subscriber-sync.ts runs these). */
export const CADENCE_STAGING = `
  DROP TABLE IF EXISTS pg_temp.sync_cadences;
  CREATE TEMP TABLE sync_cadences (
    email TEXT NOT NULL, newsletter_id TEXT NOT NULL, cadence TEXT NOT NULL, PRIMARY KEY (email, newsletter_id)
  );
`;
export const DROP_CADENCE_STAGING = 'DROP TABLE IF EXISTS pg_temp.sync_cadences';
/** One parameter: a JSON array of {email, newsletter_id, cadence}, one per address and newsletter. */
export const STAGE_CADENCES = `INSERT INTO pg_temp.sync_cadences (email, newsletter_id, cadence)
  SELECT email, newsletter_id, cadence FROM json_to_recordset($1::json) AS r(email text, newsletter_id text, cadence text)
  ON CONFLICT (email, newsletter_id) DO UPDATE SET cadence = excluded.cadence`;

const FILE_CADENCE_CHANGES = `
  m.subscriber_id = t.subscriber_id AND m.newsletter_id = c.newsletter_id
    AND m.cadence_origin = 'file' AND m.cadence IS DISTINCT FROM c.cadence`;

export const MARK_CHANGED_CADENCES = `
  UPDATE pg_temp.sync_subscribers SET changed = 1 WHERE is_new = 0 AND changed = 0 AND email IN (
    SELECT c.email FROM pg_temp.sync_cadences c JOIN pg_temp.sync_subscribers t ON t.email = c.email
      JOIN subscriptions m ON ${FILE_CADENCE_CHANGES})
`;

/** One parameter: the instant. */
export const APPLY_FILE_CADENCES = `
  UPDATE subscriptions AS m SET cadence = c.cadence, next_cadence = NULL, next_cadence_after = NULL, updated_at = $1
    FROM pg_temp.sync_cadences c JOIN pg_temp.sync_subscribers t ON t.email = c.email
   WHERE ${FILE_CADENCE_CHANGES}
`;

/** A batch's cadences, one per address and newsletter (the later row wins), for STAGE_CADENCES. */
export function cadenceRows(
  rows: readonly { email: string; subscriptions: readonly { newsletterId: string; cadence?: string | null }[] }[],
): string | null {
  const byKey = new Map<string, { email: string; newsletter_id: string; cadence: string }>();
  for (const row of rows)
    for (const sub of row.subscriptions)
      if (sub.cadence)
        byKey.set(`${row.email}\n${sub.newsletterId}`, {
          email: row.email,
          newsletter_id: sub.newsletterId,
          cadence: sub.cadence,
        });
  return byKey.size > 0 ? JSON.stringify([...byKey.values()]) : null;
}
