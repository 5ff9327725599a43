import type { DecisionOrigin, Recipient, SubscriberRecord, Subscription } from '../../subscribers/subscriber-store.ts';
import type { SignupRequest } from '../../subscribers/subscriber-lifecycle-store.ts';

/**
 * The subscriber tables as both stores (SQLite and PostgreSQL) hold them, and the one
 * mapping from their rows to subscribers, subscriptions, recipients and signup requests.
 */
export interface SubscriberRow {
  id: number;
  email: string;
  name: string | null;
  first_name: string | null;
  languages: string | null;
  locale: string | null;
  timezone: string | null;
  status: SubscriberRecord['status'];
  hard_bounces: number;
  profile_origin: DecisionOrigin;
  paused_until: string | null;
  erased_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionRow {
  subscriber_id: number;
  newsletter_id: string;
  categories: string | null;
  status: Subscription['status'];
  origin: Subscription['origin'];
  categories_origin: Subscription['categoriesOrigin'];
  cadence: string | null;
  next_cadence: string | null;
  next_cadence_after: string | null;
  updated_at: string;
}

/** The columns a recipient and a subscriber record both take from the subscribers table. */
type PersonRow = Pick<SubscriberRow, 'id' | 'email' | 'name' | 'first_name' | 'languages' | 'locale' | 'timezone'>;

/** One page row of a send's recipients: the subscriber with the subscription's categories. */
export type RecipientRow = PersonRow &
  Pick<SubscriptionRow, 'categories'> & { hard_bounces: number /** effective at the slot */; cadence?: string | null };

export interface SignupRow {
  id: number;
  newsletter_id: string;
  email: string;
  name: string | null;
  categories: string | null;
  locale: string | null;
  /** NULL in rows written before migration 27, and when the reader kept the default. */
  cadence: string | null;
  ip_hash: string | null;
  kind: 'confirm' | 'already';
  created_at: string;
  expires_at: string;
  confirmed_at: string | null;
}

/** A JSON list column; NULL stays null (it means "all" or "the default" to the caller). */
export const parseList = (json: string | null): string[] | null =>
  json === null ? null : (JSON.parse(json) as string[]);

/** The day (YYYY-MM-DD, UTC) a send looks at pauses for, or null for "do not look at pauses". */
export const pauseDay = (at: Date | undefined): string | null => (at ? at.toISOString().slice(0, 10) : null);

function toPerson(row: PersonRow): Omit<Recipient, 'categories'> {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    firstName: row.first_name,
    languages: parseList(row.languages),
    locale: row.locale,
    timezone: row.timezone,
  };
}

export function toRecipient(row: RecipientRow): Recipient {
  return {
    ...toPerson(row),
    categories: parseList(row.categories),
    hardBounces: Number(row.hard_bounces),
    cadence: row.cadence ?? null,
  };
}

/** Subscribers with their subscriptions; `subscriptions` in the order they are to be listed. */
export function toSubscriberRecords(
  rows: readonly SubscriberRow[],
  subscriptions: readonly SubscriptionRow[],
): SubscriberRecord[] {
  const byId = new Map<number, Subscription[]>();
  for (const sub of subscriptions) {
    const list = byId.get(sub.subscriber_id) ?? [];
    list.push({
      newsletterId: sub.newsletter_id,
      status: sub.status,
      categories: parseList(sub.categories),
      origin: sub.origin,
      categoriesOrigin: sub.categories_origin,
      cadence: sub.cadence ?? null,
      nextCadence:
        sub.next_cadence && sub.next_cadence_after ? { name: sub.next_cadence, after: sub.next_cadence_after } : null,
      updatedAt: sub.updated_at,
    });
    byId.set(sub.subscriber_id, list);
  }
  return rows.map((row) => ({
    ...toPerson(row),
    status: row.status,
    hardBounces: row.hard_bounces,
    profileOrigin: row.profile_origin,
    pausedUntil: row.paused_until,
    erasedAt: row.erased_at,
    subscriptions: byId.get(row.id) ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export function toSignupRequest(row: SignupRow): SignupRequest {
  return {
    id: row.id,
    newsletterId: row.newsletter_id,
    email: row.email,
    name: row.name,
    categories: parseList(row.categories),
    locale: row.locale,
    cadence: row.cadence ?? null,
    ipHash: row.ip_hash,
    kind: row.kind,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    confirmedAt: row.confirmed_at,
  };
}

/** The instant a cadence filter compares pending changes with, as stored (ISO, UTC). */
export const cadenceAt = (at: Date | undefined): string | null => (at ? at.toISOString() : null);

/** What the default stream does not take: the names it leaves to the other streams. */
export function cadenceNames(filter: { name: string; offered?: readonly string[] }): string[] {
  return filter.offered && filter.offered.length > 0 ? [...filter.offered] : [filter.name];
}
