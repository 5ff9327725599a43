/**
 * The part of the subscriber store behind `tidings subscribers import`: one person in one
 * transaction, so a bad row never leaves half a subscriber behind. Owned by
 * src/app/subscribers/import-subscribers.ts; implemented in store/sqlite and store/postgres.
 */

/** A person carried over from another platform (or from a Tidings export), validated. */
export interface ImportedPerson {
  /** Canonical address. */
  email: string;
  /** addressHash(email): checked against the suppressions in the same transaction. */
  addressHash: string;
  name: string | null;
  firstName: string | null;
  locale: string | null;
  languages: string[] | null;
  timezone: string | null;
  /** For a new subscriber only; an existing one keeps its status. 'bounced' is never mailed. */
  status: 'active' | 'paused' | 'bounced';
  /** Subscriptions the person consented to (null categories: all of the newsletter's). */
  subscriptions: { newsletterId: string; categories: string[] | null }[];
}

/**
 * - `added`: a new subscriber with its subscriptions.
 * - `subscribed`: a known subscriber got a subscription it did not have (or one the files had removed).
 * - `unchanged`: already subscribed, or unsubscribed in Tidings (the reader's later "no" wins).
 * - `suppressed`: the address is suppressed; nothing was written.
 */
export type ImportOutcome = 'added' | 'subscribed' | 'unchanged' | 'suppressed';

export interface SubscriberImportStore {
  /**
   * Writes one imported person in one transaction: created when the address is new,
   * subscriptions added with origin 'subscriber' (later syncs of the files keep them);
   * an existing subscriber's profile and its unsubscribes are left alone.
   */
  importSubscriber(person: ImportedPerson, at: Date): Promise<ImportOutcome>;
}
