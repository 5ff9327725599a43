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
            `UPDATE subscriptions SET cadence = $1, next_cadence = NULL, next_cadence_after = NULL, updated_at = $2
              WHERE subscriber_id = $3 AND newsletter_id = $4 AND status <> 'removed'`,
            [cadence, now, subscriberId, newsletterId],
          )
        : await tx.query(
            `UPDATE subscriptions SET next_cadence = $1, next_cadence_after = $2, updated_at = $3
              WHERE subscriber_id = $4 AND newsletter_id = $5 AND status <> 'removed'`,
            [cadence, switchAfter.toISOString(), now, subscriberId, newsletterId],
          );
    return (result.rowCount ?? 0) > 0;
  });
}
