import type { ImportOutcome, ImportedPerson } from '../../subscribers/subscriber-import-store.ts';
import type { SqliteDatabase } from './open-database.ts';

const json = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

/**
 * One imported person in one immediate transaction (the reference for pg-subscriber-import.ts):
 * a suppressed address writes nothing; a new address becomes a subscriber; each consented
 * subscription is added with origin 'subscriber', or revived when the files had removed it.
 * A subscription the reader ended in Tidings stays ended.
 */
export function importSubscriberSqlite(db: SqliteDatabase, person: ImportedPerson, at: Date): ImportOutcome {
  const now = at.toISOString();
  return db
    .transaction((): ImportOutcome => {
      if (db.prepare('SELECT 1 FROM suppressions WHERE address_hash = ?').get(person.addressHash)) return 'suppressed';
      const existing = db
        .prepare<[string], number>(`SELECT id FROM subscribers WHERE email = ? AND status <> 'erased'`)
        .pluck()
        .get(person.email);
      const id =
        existing ??
        db
          .prepare<[Record<string, unknown>], number>(
            `INSERT INTO subscribers (email, name, first_name, locale, languages, timezone, status, status_origin, created_at, updated_at)
               VALUES (@email, @name, @firstName, @locale, @languages, @timezone, @status, 'store', @now, @now) RETURNING id`,
          )
          .pluck()
          .get({ ...person, languages: json(person.languages), now })!;
      let added = 0;
      const upsert = db.prepare(
        `INSERT INTO subscriptions (subscriber_id, newsletter_id, categories, status, origin, categories_origin, updated_at)
           VALUES (@id, @newsletter, @categories, 'active', 'subscriber', 'subscriber', @now)
         ON CONFLICT (newsletter_id, subscriber_id) DO UPDATE SET status = 'active', origin = 'subscriber',
           categories = excluded.categories, categories_origin = 'subscriber', updated_at = excluded.updated_at
         WHERE status = 'removed'`,
      );
      for (const subscription of person.subscriptions) {
        added += upsert.run({
          id,
          newsletter: subscription.newsletterId,
          categories: json(subscription.categories),
          now,
        }).changes;
      }
      if (existing === undefined) return 'added';
      return added > 0 ? 'subscribed' : 'unchanged';
    })
    .immediate();
}
