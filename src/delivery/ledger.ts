/**
 * The delivery ledger: one row per (edition, subscriber). It is what makes sends
 * exactly-once where SMTP allows: a row is claimed (pending → sending) by a single
 * conditional update before the SMTP call, and recorded after it. Owned by delivery;
 * implementations live in store/ (SQLite now, PostgreSQL later) and leak no driver types.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'accepted' | 'failed' | 'skipped';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sending', 'accepted', 'failed', 'skipped'];

/** Subscriber ids are the store's integer keys. */
export type SubscriberId = number;

export interface DeliveryRow {
  editionId: string;
  subscriberId: SubscriberId;
  /** The subscriber's address when the store knows it (joined for reports). */
  email: string | null;
  status: DeliveryStatus;
  segment: string | null;
  attempts: number;
  claimedAt: string | null;
  finishedAt: string | null;
  messageId: string | null;
  /** The SMTP server's reply (accepted) or error text (failed). */
  response: string | null;
  errorCode: string | null;
  /** Why a row was skipped. */
  reason: string | null;
  /** A failed row whose failure was temporary: the next run tries it again. */
  retryable: boolean;
  /** An ambiguous row an operator decided (`tidings deliveries resolve`); kept after a resend. */
  resolution?: AmbiguousResolution | null;
}

/** What the mail server's log said about an ambiguous row: it has the message, or it does not. */
export type AmbiguousDecision = 'accepted' | 'not-accepted';

export interface AmbiguousResolution {
  decision: AmbiguousDecision;
  by: string;
  at: string;
}

export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number };

export interface EditionDeliverySummary {
  editionId: string;
  counts: DeliveryCounts;
  /** Rows left `sending`; only meaningful when no run is active. */
  ambiguous: number;
  lastActivityAt: string | null;
}

export interface DeliveryError {
  subscriberId: SubscriberId;
  email: string | null;
  errorCode: string | null;
  response: string | null;
  at: string | null;
}

export interface AcceptedRecord {
  messageId: string;
  response: string;
  segment: string;
  /** Articles the subscriber got, remembered so that nobody sees an article twice. */
  articleIds: readonly string[];
}

export interface FailedRecord {
  code: string;
  text: string;
  /** True for temporary failures (4xx, connection): the row goes back to the queue on the next run. */
  retryable: boolean;
  attempts: number;
}

export type ClaimResult = { claimed: true } | { claimed: false; skipped: string | null };
/** Why a claimed row was left ambiguous by a live run (no reply after the end of DATA). */
export interface AmbiguousRecord {
  code: string;
  text: string;
  attempts: number;
}

export interface ResolveRequest {
  /** These rows, or every unresolved ambiguous row of the edition. */
  subscriberIds: readonly SubscriberId[] | 'all-ambiguous';
  decision: AmbiguousDecision;
  /** Who decided (an editor's name, or `--by`). */
  by: string;
  at: Date;
  /** The articles each reader got: remembered for rows resolved as accepted, as `recordAccepted` does. */
  articleIds?: ReadonlyMap<SubscriberId, readonly string[]>;
}

/** A row that cannot be resolved, and why: it is not ambiguous, a live worker has it in flight, or there is no such row. */
export interface ResolveRefusal {
  subscriberId: SubscriberId;
  email: string | null;
  status: DeliveryStatus | null;
  why: 'not-ambiguous' | 'in-flight' | 'no-row';
}

/** All or nothing: when any row is refused, none is resolved. */
export interface ResolveResult {
  resolved: DeliveryRow[];
  refused: ResolveRefusal[];
}

/** Rows the operator resolved in one edition: how many each way, and by whom. */
export interface ResolutionSummary {
  accepted: number;
  notAccepted: number;
  by: string[];
}

export interface Ledger {
  /**
   * Writes asked for in one turn of the event loop commit in the order asked, together or
   * one after the other (SQLite's group commit; PostgreSQL's ordered statements): a worker
   * may then queue its next claim before awaiting its last outcome without ever having two
   * rows `sending`.
   */
  readonly commitsInOrder?: boolean;
  /** The ordered write stream of claims and outcomes (only compared: WorkQueue.writes). */
  readonly writes?: object;
  /** Creates the missing rows as pending; existing rows are left alone. */
  ensurePending(editionId: string, subscriberIds: readonly SubscriberId[]): Promise<void>;
  /**
   * pending → sending in one conditional update that also requires the reader to still
   * want it (subscription active, subscriber active, address not suppressed); `claimed`
   * only for the caller that won the row. A pending row of a reader who left meanwhile
   * becomes skipped, and `skipped` gives the reason.
   */
  claim(editionId: string, subscriberId: SubscriberId, at: Date): Promise<ClaimResult>;
  recordAccepted(editionId: string, subscriberId: SubscriberId, at: Date, record: AcceptedRecord): Promise<void>;
  recordFailed(editionId: string, subscriberId: SubscriberId, at: Date, record: FailedRecord): Promise<void>;
  /**
   * The server may have accepted the message (no reply after the end of DATA): the row
   * stays `sending`, hence ambiguous, with the reason noted; it is never retried automatically.
   */
  recordAmbiguous(editionId: string, subscriberId: SubscriberId, at: Date, record: AmbiguousRecord): Promise<void>;
  /**
   * pending → skipped with a reason; never touches claimed or finished rows. False when
   * the row was not pending (an earlier run already handled this subscriber).
   */
  recordSkipped(editionId: string, subscriberId: SubscriberId, at: Date, reason: string): Promise<boolean>;
  /** sending → pending after a definite non-acceptance (a 4xx reply, a stop before the call). */
  releaseForRetry(editionId: string, subscriberId: SubscriberId): Promise<void>;
  /** failed with a temporary error → pending, at the start of a rerun; returns how many. */
  releaseRetryableFailures(editionId: string): Promise<number>;
  counts(editionId: string): Promise<DeliveryCounts>;
  /**
   * Rows left `sending` (by a crash or a lost reply): the message may or may not have been
   * accepted. With `at`, rows a live worker has in flight then (PostgreSQL: its heartbeat
   * has not expired) are left out: they are that worker's messages in transit.
   */
  listAmbiguous(editionId: string, at?: Date): Promise<DeliveryRow[]>;
  /**
   * sending → pending for --resend-ambiguous; returns how many. Rows a live worker has in
   * flight (PostgreSQL: `lease_owner` is a worker whose heartbeat has not expired at `at`)
   * are not ambiguous yet and stay: resetting them would send their messages twice.
   */
  resetAmbiguous(editionId: string, at: Date): Promise<number>;
  /**
   * The operator's decision on ambiguous rows, in one transaction: `accepted` makes them
   * final (never resent), `not-accepted` puts them back to pending (the next run sends
   * them). Refuses, changing nothing, when a row is not ambiguous (`sending`) or a live
   * worker has it in flight (PostgreSQL: `lease_owner` whose heartbeat has not expired at `at`).
   */
  resolveAmbiguous(editionId: string, request: ResolveRequest): Promise<ResolveResult>;
  /** Resolutions recorded for an edition's rows (null when none). */
  resolutions(editionId: string): Promise<ResolutionSummary | null>;
  /**
   * Ambiguous rows nobody decided yet, per edition: `sending` rows of editions no send lease
   * holds at `at` and (PostgreSQL) that no live worker has in flight. Optionally of one newsletter.
   */
  unresolvedAmbiguous(at: Date, newsletterId?: string): Promise<{ editionId: string; rows: number }[]>;
  list(editionId: string, status?: DeliveryStatus): Promise<DeliveryRow[]>;
  lastErrors(editionId: string, limit: number): Promise<DeliveryError[]>;
  /** Editions with deliveries, newest activity first; optionally of one newsletter. */
  editions(newsletterId?: string): Promise<EditionDeliverySummary[]>;
  /**
   * Which of these articles the subscriber already received in an accepted delivery;
   * with `exceptEditionId`, not counting that edition (a preview of a sent edition shows it whole).
   */
  receivedArticleIds(
    subscriberId: SubscriberId,
    articleIds: readonly string[],
    exceptEditionId?: string,
  ): Promise<Set<string>>;
  /** receivedArticleIds for a page of subscribers in one read: every subscriber asked for has an entry (empty when none). */
  receivedArticleIdsOfMany(
    subscriberIds: readonly SubscriberId[],
    articleIds: readonly string[],
    exceptEditionId?: string,
  ): Promise<Map<SubscriberId, Set<string>>>;
}

export function emptyCounts(): DeliveryCounts {
  return { pending: 0, sending: 0, accepted: 0, failed: 0, skipped: 0, total: 0 };
}
