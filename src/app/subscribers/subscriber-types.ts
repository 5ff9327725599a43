import type { NewsletterConfig, TidingsConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { MailTransport } from '../../delivery/mail-transport.ts';
import type { Edition } from '../../editions/edition.ts';
import type { Store } from '../../store/store.ts';
import type { SignupRequest, SubscriberHistory } from '../../subscribers/subscriber-lifecycle-store.ts';
import type { SubscriberRecord, Subscription } from '../../subscribers/subscriber-store.ts';
import type { CadenceState } from './reader-cadence.ts';

/**
 * The subscriber service's vocabulary, in a file of its own so that the service's parts
 * (link actions, preferences, signup…) and the facade that composes them import it
 * without importing each other.
 */

/** What a signed link may do. Unsubscribe and preferences links never expire; confirm links do. */
export type LinkPurpose = 'unsubscribe' | 'preferences';

export interface NewsletterRef {
  id: string;
  title: string;
}

/** A person's state in one newsletter: `none` when they never had a subscription to it. */
export type SubscriptionState = 'active' | 'unsubscribed' | 'removed' | 'none';

export interface TokenDescription {
  purpose: LinkPurpose;
  newsletter: NewsletterRef;
  /** `j***@example.com`: enough for the reader to recognise, not enough to harvest. */
  maskedEmail: string;
  state: SubscriptionState;
  /** The locale the page should speak: the subscriber's, else the newsletter's. */
  locale: string;
  /** A preferences link token for the same person and newsletter (null when the link leads to nobody). */
  preferencesToken: string | null;
}

export interface SubscriptionChange extends TokenDescription {
  /** False when the call found it already done (idempotent repeat). */
  changed: boolean;
}

export interface CategoryChoice {
  slug: string;
  title: string;
  chosen: boolean;
}

export interface NewsletterPreferences extends NewsletterRef {
  subscribed: boolean;
  /** True when the reader takes every category (null in the store). */
  allCategories: boolean;
  categories: CategoryChoice[];
  /** The cadences offered and the reader's (with a change waiting); null when there is no choice. */
  cadence: CadenceState | null;
}

export interface PreferencesView {
  maskedEmail: string;
  /** The newsletter of the link the reader followed. */
  newsletterId: string;
  locale: string | null;
  timezone: string | null;
  /** `YYYY-MM-DD`: no mail before this day (UTC); null when not paused. */
  pausedUntil: string | null;
  /** The newsletters this person may join: the ones they have a row for, plus open signups. */
  newsletters: NewsletterPreferences[];
  /** Locales the pages and emails speak. */
  locales: string[];
}

/** The preferences form, as plain data (the web layer converts the form body into this). */
export interface PreferencesInput {
  /** One entry per newsletter shown; newsletters left out are left as they are. */
  newsletters: { id: string; subscribed: boolean; categories: string[] | null; cadence?: string }[];
  /** Absent (undefined): a form that does not show the field keeps the stored value; null: the default. */
  locale?: string | null;
  timezone?: string | null;
  pausedUntil?: string | null;
}

export interface SignupInput {
  email: string;
  name?: string | null;
  categories?: string[] | null;
  locale?: string | null;
  /** One of the newsletter's cadences; absent or null: its default (the first). */
  cadence?: string | null;
}

/** The same answer whatever the address: nobody learns from it who is subscribed. */
export interface SignupReceipt {
  newsletter: NewsletterRef;
  maskedEmail: string;
}

export interface ConfirmResult {
  newsletter: NewsletterRef;
  maskedEmail: string;
  /** False when the link was used before (idempotent repeat). */
  changed: boolean;
  locale: string;
}

export interface WebEdition {
  id: string;
  newsletter: NewsletterRef;
  subject: string;
  /** The slot, ISO 8601 with the newsletter's offset. */
  slot: string;
  sentAt: string | null;
  /** The whole edition as HTML (a complete document from the email template), no personal data. */
  html: string;
  text: string;
  /** The top story's headline, then each section's lead headline: the edition in a line. */
  highlights: string[];
  /** True when the newsletter's archive is public (the page may link back to it). */
  archivePublic: boolean;
}

export interface ArchiveEntry {
  id: string;
  subject: string;
  /** The top story's headline, then each section's lead headline (WebEdition.highlights). */
  highlights: string[];
  /** The edition as the web shows it (a complete HTML document), for the feed's content. */
  html: string;
  slot: string;
  sentAt: string | null;
  /** Path of the web page: `/e/<edition id>`. */
  path: string;
}

export interface PublicArchive {
  newsletter: NewsletterRef & { description: string };
  /** Newest first. */
  editions: ArchiveEntry[];
  updatedAt: string | null;
}

export interface SuppressionEntry {
  /** SHA-256 of the normalized address (the address itself is not stored). */
  addressHash: string;
  reason: string;
  createdAt: string;
}

export interface SubscriberExport {
  /** The stored person without subscriptions; null when the store has nobody at that address. */
  subscriber: Omit<SubscriberRecord, 'subscriptions'> | null;
  subscriptions: Subscription[];
  deliveries: SubscriberHistory['deliveries'];
  receivedArticles: SubscriberHistory['receivedArticles'];
  unsubscribeEvents: SubscriberHistory['unsubscribeEvents'];
  pendingSignups: SignupRequest[];
  suppressed: boolean;
}

/** What an operator's add did: mailed a confirmation link, or subscribed the address at once. */
export interface OperatorAddResult {
  state: 'confirmation-sent' | 'subscribed';
  /** The stored subscriber; null while a confirmation is pending for an unknown address. */
  subscriberId: number | null;
}

export interface MailUnsubscribeReport {
  /** Messages with a valid token: unsubscribed (or already were), moved to `.Processed/cur/`. */
  processed: { file: string; newsletterId: string; changed: boolean }[];
  /** Messages left where they are, with the reason. */
  rejected: { file: string; reason: string }[];
}

/**
 * Reader-facing: what the subscriber and public pages (`/u/`, `/p/`, `/s/`, `/e/`,
 * `/archive/`) call on behalf of a reader holding a signed link, or nobody in particular.
 */
export interface ReaderService {
  /** What a link's token points at; throws TOKEN_INVALID for anything not signed by us for `purpose`. */
  describeToken(token: string, purpose: LinkPurpose): Promise<TokenDescription>;
  /**
   * Ends the subscription the token names (origin 'subscriber'); idempotent. `channel`
   * records how it came: 'web' (the page's button, default) or 'one-click' (RFC 8058 POST).
   */
  unsubscribe(token: string, options?: { channel?: 'web' | 'one-click' }): Promise<SubscriptionChange>;
  /** Undoes an unsubscribe from the same (unsubscribe or preferences) link; idempotent. */
  resubscribe(token: string): Promise<SubscriptionChange>;
  getPreferences(token: string): Promise<PreferencesView>;
  /** Validates (zod) and stores the reader's choices; they win over the subscriber files. */
  savePreferences(token: string, input: PreferencesInput): Promise<PreferencesView>;
  /** Erases the person the token names; a suppression keeps sync from re-adding them. */
  erase(token: string): Promise<{ maskedEmail: string }>;
  /** Double opt-in: mails a confirmation (or an "already subscribed" note); same answer for everyone. */
  requestSignup(newsletterId: string, input: SignupInput, request: { ip: string }): Promise<SignupReceipt>;
  /** What a confirmation link names, changing nothing (`changed` false: used already). */
  describeSignup(token: string): Promise<ConfirmResult>;
  /** Starts the subscription a confirmation link names (origin 'subscriber'); only ever on a POST. */
  confirmSignup(token: string): Promise<ConfirmResult>;
  /**
   * The whole of a sent edition as a web page, without any personal token or name. A
   * newsletter that is not public needs `viewKey`, the `k` of the email's view-online link.
   */
  editionForWeb(editionId: string, viewKey?: string | null): Promise<WebEdition>;
  /** Sent editions of a newsletter with `public: true`, newest first. */
  publicArchive(newsletterId: string): Promise<PublicArchive>;
  /** Waits until queued signup mails are handed to the transport (call before shutting down). */
  drain(): Promise<void>;
  /** Sends the signup mails an earlier process left queued (a server calls it once it listens). */
  sendQueuedMail(): void;
}

/**
 * Operator-facing: the commands beneath `tidings subscribers` and `tidings suppressions`.
 * Addresses are normalized; an unknown one is NOT_FOUND (forget: suppressed anyway).
 */
export interface OperatorService {
  /** Returns the newsletters whose subscription it ended. */
  unsubscribeByEmail(email: string, newsletterId?: string): Promise<string[]>;
  /** The erasure; true when a stored subscriber was erased (the address is suppressed either way). */
  forgetByEmail(email: string): Promise<boolean>;
  exportByEmail(email: string): Promise<SubscriberExport>;
  /** A reader's change of cadence, made for them; the state afterwards (a change waits for the end of the period). */
  setCadenceByEmail(email: string, newsletterId: string, cadence: string): Promise<CadenceState>;
  listSuppressions(): Promise<SuppressionEntry[]>;
  /** False when already suppressed. */
  addSuppression(email: string, reason: string): Promise<boolean>;
  /** False when it was not suppressed. Lifting it lets the next sync add the address again. */
  removeSuppression(email: string): Promise<boolean>;
  /** Adds an address to a newsletter (the API): a confirmation mail unless `confirmed`. */
  addByOperator(
    newsletterId: string,
    input: SignupInput,
    options: { confirmed: boolean; by: string },
  ): Promise<OperatorAddResult>;
  /** Reads `new/` and `cur/` of a Maildir; see MailUnsubscribeReport. */
  processUnsubscribeMail(maildir: string): Promise<MailUnsubscribeReport>;
}

/** Both audiences over one store and secret (tests and the bounce processor use the union). */
export type SubscriberService = ReaderService & OperatorService;

/** Renders a whole edition for the web, without personal data; null when it has nothing to show. */
export type RenderEditionForWeb = (
  edition: Edition,
  newsletter: NewsletterConfig,
) => Promise<{ subject: string; html: string; text: string; highlights: string[] } | null>;

export interface SubscriberServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: TidingsConfig;
  /** web.secret: signs and checks every link. */
  secret: string;
  /** Opens a transport for confirmation mail (the send path's factory). */
  openTransport: () => MailTransport;
  renderEditionForWeb: RenderEditionForWeb;
  /** Give up on a confirmation mail after this long (default 60 s). */
  signupMailTimeoutMs?: number;
  /** Aborted when the process must stop now (the shutdown budget is spent): the mail in flight goes back to the queue. */
  abandon?: AbortSignal;
  /** Locales the templates speak (templates/locales/*.json): the preferences and signup choices. */
  locales: readonly string[];
  /** [templates/, templates.dir]: where welcome mails are found (welcome-message.ts); none: no welcome mail. */
  templateDirs?: readonly string[];
}
