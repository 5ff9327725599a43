import type { ImportOutcome, ImportedPerson } from '../../subscribers/subscriber-import-store.ts';
import type { PgDatabase } from './pg-database.ts';

const json = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

/** One imported person in one transaction (sqlite-subscriber-import.ts is the reference for every rule). */
export async function importSubscriberPg(db: PgDatabase, person: ImportedPerson, at: Date): Promise<ImportOutcome> {
  const now = at.toISOString();
  return db.transaction(async (tx): Promise<ImportOutcome> => {
    const suppressed = await tx.query('SELECT 1 FROM suppressions WHERE address_hash = $1', [person.addressHash]);
    if ((suppressed.rowCount ?? 0) > 0) return 'suppressed';
    // Two imports of the same address at once: the second waits on the unique email, then finds the first's row.
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO subscribers (email, name, first_name, locale, languages, timezone, status, status_origin, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'store', $8, $8)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [
        person.email,
        person.name,
        person.firstName,
        person.locale,
        json(person.languages),
        person.timezone,
        person.status,
        now,
      ],
    );
    let id = inserted.rows[0]?.id;
    const created = id !== undefined;
    if (id === undefined) {
      const found = await tx.query<{ id: number }>(
        `SELECT id FROM subscribers WHERE email = $1 AND status <> 'erased' FOR UPDATE`,
        [person.email],
      );
      id = found.rows[0]?.id;
      if (id === undefined) return 'suppressed';
    }
    let added = 0;
    for (const subscription of person.subscriptions) {
      const result = await tx.query(
        `INSERT INTO subscriptions (subscriber_id, newsletter_id, categories, status, origin, categories_origin, updated_at)
           VALUES ($1, $2, $3, 'active', 'subscriber', 'subscriber', $4)
         ON CONFLICT (newsletter_id, subscriber_id) DO UPDATE SET status = 'active', origin = 'subscriber',
           categories = excluded.categories, categories_origin = 'subscriber', updated_at = excluded.updated_at
         WHERE subscriptions.status = 'removed'`,
        [id, subscription.newsletterId, json(subscription.categories), now],
      );
      added += result.rowCount ?? 0;
    }
    if (created) return 'added';
    return added > 0 ? 'subscribed' : 'unchanged';
  });
}
