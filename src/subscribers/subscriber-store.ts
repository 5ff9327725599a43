/**
 * The subscribers part of the store, owned by its consumers (sync, rendering, delivery,
 * the subscriber web pages). Methods are async so a networked store can implement it.
 *
 * Who decides what:
 * - The files decide who is subscribed to what, names, locales, time zones and
 *   active/paused — until the subscriber (or a bounce) said otherwise.
 * - A subscription the subscriber unsubscribed from (origin 'subscriber') stays so;
 *   categories the subscriber chose are kept; a bounced subscriber stays bounced.
 * - A subscription that disappears from the files becomes status 'removed' (the row is
 *   kept, so an unsubscribe or a bounce is still remembered if the address comes back).
 * - Locale, time zone and "pause until" set on the preferences page (profile origin
 *   'subscriber') are kept by later syncs; names stay the files'.
 * - An erased subscriber is a tombstone (status 'erased', no address, no name); a
 *   suppression of the address hash keeps syncs from adding the address again until an
 *   operator removes the suppression.
 */
import type { SubscriberImportStore } from './subscriber-import-store.ts';
import type { SubscriberLifecycleStore, UnsubscribeChannel } from './subscriber-lifecycle-store.ts';

export type SubscriberStatus = 'active' | 'paused' | 'bounced' | 'erased';
export type SubscriptionStatus = 'active' | 'unsubscribed' | 'removed';
/** 'file': the lists decide; 'subscriber': the subscriber decided (web pages, unsubscribe). */
export type DecisionOrigin = 'file' | 'subscriber';

/** One person in a send: an active subscription of an active subscriber. */
export interface Recipient {
  id: number;
  email: string;
  name: string | null;
  /** From the subscriber files; null: the greeting uses the first word of `name`. */
  firstName: string | null;
  /** Languages the reader gets articles in; null: their locale's language. */
  languages: string[] | null;
  locale: string | null;
  timezone: string | null;
  /** The chosen categories of this newsletter; null = all of them. */
  categories: string[] | null;
  /** Permanent rejections in a row when the recipient was read (absent: not known). */
  hardBounces?: number;
  /** The cadence in effect at the slot asked for (null: the newsletter's default, or none). */
  cadence?: string | null;
}

/**
 * Keeps the readers of one cadence stream (issue 26): those whose effective cadence at
 * the slot `at` is `name`. The effective cadence is the pending one once its
 * `after` lies before the slot, else the chosen one; never chosen (null) counts as the
 * default. With `offered`, the default stream also takes readers whose cadence is no
 * longer offered, so dropping a cadence from the config loses nobody.
 */
export interface CadenceFilter {
  name: string;
  isDefault: boolean;
  at: Date;
  offered?: readonly string[];
}

/** A reader's change of cadence that waits for the end of their current period. */
export interface PendingCadence {
  name: string;
  /** ISO instant: slots strictly after it use `name`. */
  after: string;
}

export interface Subscription {
  newsletterId: string;
  status: SubscriptionStatus;
  categories: string[] | null;
  /** Who last decided the status. */
  origin: DecisionOrigin;
  /** Who last decided the categories. */
  categoriesOrigin: DecisionOrigin;
  /** The chosen cadence (null: the newsletter's default, its first). */
  cadence: string | null;
  /** A change of cadence not yet in effect (see CadenceFilter). */
  nextCadence: PendingCadence | null;
  updatedAt: string;
}

/** A subscription's cadence at a slot: the pending one once due, else the chosen one (null: default). */
export function effectiveCadence(subscription: Pick<Subscription, 'cadence' | 'nextCadence'>, at: Date): string | null {
  const next = subscription.nextCadence;
  return next && Date.parse(next.after) < at.getTime() ? next.name : subscription.cadence;
}

export interface SubscriberRecord {
  id: number;
  email: string;
  name: string | null;
  firstName: string | null;
  languages: string[] | null;
  locale: string | null;
  timezone: string | null;
  status: SubscriberStatus;
  hardBounces: number;
  /** Who set locale and time zone: 'subscriber' (preferences page) wins over the files. */
  profileOrigin: DecisionOrigin;
  /** `YYYY-MM-DD`: no mail before this day (UTC); null when not paused. */
  pausedUntil: string | null;
  erasedAt: string | null;
  subscriptions: Subscription[];
  createdAt: string;
  updatedAt: string;
}

/** A validated row on its way into the store, one entry per newsletter. */
export interface StagedSubscriber {
  email: string;
  name: string | null;
  firstName: string | null;
  languages: string[] | null;
  locale: string | null;
  timezone: string | null;
  status: 'active' | 'paused';
  /** `cadence`: the files' choice (applied by sync unless the reader chose since); null or absent: none given. */
  subscriptions: { newsletterId: string; categories: string[] | null; cadence?: string | null }[];
  file: string;
  line: number;
}

export interface SyncCounts {
  added: number;
  updated: number;
  unchanged: number;
  /** Subscribers no longer in any file whose file subscriptions were made 'removed'. */
  removed: number;
  /** Rows left out because their address is suppressed (erased or suppressed by an operator). */
  suppressed: number;
}

/**
 * One sync in progress: rows are staged in batches (bounded memory), then applied in a
 * single transaction or discarded; nothing is visible to readers before `apply`.
 */
export interface SubscriberSyncSession {
  /**
   * Stages rows in order. An address staged before is merged (newsletters joined, the
   * later row's other fields win); its earlier place is returned at the row's index.
   */
  stage(rows: readonly StagedSubscriber[]): Promise<({ file: string; line: number } | null)[]>;
  /** Addresses of rows that were skipped as invalid: they are neither changed nor removed. */
  keep(emails: readonly string[]): Promise<void>;
  /** Applies the staged rows in one transaction. Without `removeMissing` nobody is removed. */
  apply(at: Date, options: { removeMissing: boolean }): Promise<SyncCounts>;
  discard(): Promise<void>;
}

export interface ListSubscribersOptions {
  /** Only subscribers with a subscription (any status) to this newsletter. */
  newsletterId?: string;
  afterId?: number;
  limit?: number;
}

/** How an unsubscribe arrived, recorded with the edition whose link was used. */

export interface UnsubscribeEvent {
  channel: UnsubscribeChannel;
  /** The edition named in the signed link; null when unknown (operator, older links). */
  editionId: string | null;
}

export interface SubscriberStore extends SubscriberLifecycleStore, SubscriberImportStore {
  beginSync(): Promise<SubscriberSyncSession>;
  /**
   * Active subscriptions of active subscribers, by ascending id, fetched in pages.
   * The audience is bounded by the largest id at the start (or `untilId`), so people
   * added during a send wait for the next one; pass the last id seen as `afterId` to resume.
   * With `at`, subscribers paused until a later day are left out.
   */
  streamRecipients(
    newsletterId: string,
    options?: { afterId?: number; untilId?: number; batchSize?: number; at?: Date; cadence?: CadenceFilter },
  ): AsyncIterable<Recipient>;
  findByEmail(email: string): Promise<SubscriberRecord | null>;
  getById(id: number): Promise<SubscriberRecord | null>;
  /** Returns false when there was no active subscription to end; a change is recorded with `event`. */
  unsubscribe(subscriberId: number, newsletterId: string, at: Date, event?: UnsubscribeEvent): Promise<boolean>;
  /** The subscriber's own choice (null = all categories); later syncs keep it. False when not subscribed. */
  setPreferences(
    subscriberId: number,
    newsletterId: string,
    categories: readonly string[] | null,
    at: Date,
  ): Promise<boolean>;
  /** Counts a permanent rejection; at `threshold` in a row the subscriber becomes 'bounced'. */
  recordHardBounce(
    subscriberId: number,
    at: Date,
    threshold: number,
  ): Promise<{ bounced: boolean; hardBounces: number }>;
  /** An accepted delivery ends a run of bounces (does not lift a 'bounced' status). */
  resetBounces(subscriberId: number): Promise<void>;
  /**
   * A reader's cadence of a newsletter. `switchAfter` null: in effect at once (a new
   * subscription, or a change back that cancels a pending one); else it waits until
   * slots after `switchAfter`. A pending change already due at `at` is made the chosen
   * cadence first. False when not subscribed (a removed subscription counts as none).
   */
  setCadence(
    subscriberId: number,
    newsletterId: string,
    cadence: string | null,
    at: Date,
    switchAfter: Date | null,
  ): Promise<boolean>;
  /** Recipients `streamRecipients` would give now (with `at`: not counting paused ones). */
  count(newsletterId: string, at?: Date, cadence?: CadenceFilter): Promise<number>;
  /**
   * An edition's audience in one read: the largest subscriber id of the newsletter (the
   * bound `streamRecipients` would use) and how many recipients it would give after
   * `afterId` up to that id (with `at`: not counting paused ones).
   */
  measureAudience(
    newsletterId: string,
    options?: { afterId?: number; at?: Date; cadence?: CadenceFilter },
  ): Promise<{ maxSubscriberId: number; count: number }>;
  /** Stored subscribers by id; erased ones (tombstones) are left out. */
  list(options?: ListSubscribersOptions): Promise<SubscriberRecord[]>;
}
