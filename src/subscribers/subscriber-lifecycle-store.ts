/** How a reader left: the link, RFC 8058 one-click, a mailto request, the preferences page, an operator. */
export type UnsubscribeChannel = 'web' | 'one-click' | 'mail' | 'preferences' | 'operator';

/**
 * The part of the subscriber store behind the subscriber pages and the operator
 * commands: decisions people make themselves, signups, erasure and suppressions.
 * Owned by src/app/subscribers/; implemented in store/sqlite/.
 */

export interface ProfileChoice {
  locale: string | null;
  timezone: string | null;
  /** `YYYY-MM-DD` or null. */
  pausedUntil: string | null;
}

export interface SuppressionRecord {
  addressHash: string;
  reason: string;
  createdAt: string;
}

export interface NewSignupRequest {
  newsletterId: string;
  email: string;
  name: string | null;
  categories: string[] | null;
  locale: string | null;
  /** The cadence chosen on the form (issue 26); null: the newsletter's default. */
  cadence: string | null;
  ipHash: string | null;
  /** Which mail was sent: a confirmation link, or "you are already subscribed". */
  kind: 'confirm' | 'already';
  createdAt: Date;
  expiresAt: Date;
}

export interface SignupRequest extends Omit<NewSignupRequest, 'createdAt' | 'expiresAt'> {
  id: number;
  createdAt: string;
  expiresAt: string;
  confirmedAt: string | null;
}

export type SignupMailOutcome = 'sent' | 'failed' | 'queued';

export interface StoredUnsubscribeEvent {
  subscriberId: number;
  newsletterId: string;
  editionId: string | null;
  channel: UnsubscribeChannel;
  at: string;
}

/** Everything the store keeps about one subscriber besides the subscriber record. */
export interface SubscriberHistory {
  deliveries: { editionId: string; status: string; finishedAt: string | null; segment: string | null }[];
  receivedArticles: { articleId: string; editionId: string }[];
  unsubscribeEvents: StoredUnsubscribeEvent[];
}

export interface ErasePlan {
  /** What ledger rows and unsubscribe events keep instead of the id (negative, from a keyed hash). */
  hashedId: number;
  /** The suppression written in the same transaction. */
  addressHash: string;
  reason: string;
  at: Date;
}

export interface SubscriberLifecycleStore {
  /**
   * The subscriber's own "yes": the subscription becomes active with origin 'subscriber'
   * (later syncs keep it); `categories` undefined leaves them, otherwise they are the
   * subscriber's choice. False when it was already active with nothing to change.
   */
  subscribe(
    subscriberId: number,
    newsletterId: string,
    at: Date,
    categories?: readonly string[] | null,
  ): Promise<boolean>;
  /** Locale, time zone and pause as the subscriber chose them (profile origin 'subscriber'). */
  setProfile(subscriberId: number, profile: ProfileChoice, at: Date): Promise<void>;
  /** The subscriber of a confirmed signup: found by address, or created (status active). */
  ensureSubscriber(person: { email: string; name: string | null; locale: string | null }, at: Date): Promise<number>;
  /**
   * Erasure in one transaction: personal fields cleared (the row stays as a tombstone so
   * its id is never reused), subscriptions, received articles and signup requests deleted,
   * ledger rows and unsubscribe events re-keyed to `hashedId`, the suppression written.
   */
  erase(subscriberId: number, plan: ErasePlan): Promise<boolean>;
  history(subscriberId: number): Promise<SubscriberHistory>;
  /** Unsubscribe events per edition id (events without an edition are left out). */
  unsubscribesByEdition(newsletterId?: string): Promise<Map<string, number>>;

  listSuppressions(): Promise<SuppressionRecord[]>;
  /** False when the hash was already suppressed. */
  addSuppression(addressHash: string, reason: string, at: Date): Promise<boolean>;
  removeSuppression(addressHash: string): Promise<boolean>;
  isSuppressed(addressHash: string): Promise<boolean>;

  /** Stores the request with its confirmation mail queued (see claimSignupMail). */
  createSignupRequest(request: NewSignupRequest): Promise<number>;
  /**
   * The oldest unexpired request whose mail is queued, or was claimed before `staleBefore`
   * by a process that never finished it (a crash); marked as being sent, claimed at `at`.
   * Null when there is none. Two processes never get the same one.
   */
  claimSignupMail(at: Date, staleBefore: Date): Promise<SignupRequest | null>;
  /** The claimed mail went out (`sent`), was given up on (`failed`), or goes back to the queue (`queued`: a stop). */
  finishSignupMail(id: number, outcome: SignupMailOutcome): Promise<void>;
  getSignupRequest(id: number): Promise<SignupRequest | null>;
  signupRequestsByEmail(email: string): Promise<SignupRequest[]>;
  /** False when it was confirmed before. */
  markSignupConfirmed(id: number, at: Date): Promise<boolean>;
  /** Requests since `since` for an address or an IP hash (rate limits). */
  countSignupRequests(filter: { email?: string; ipHash?: string; since: Date }): Promise<number>;
  deleteSignupRequests(email: string): Promise<number>;
  /** Deletes requests that expired before `before` (they hold an address). */
  purgeSignupRequests(before: Date): Promise<number>;
}
