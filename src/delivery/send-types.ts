import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { DeliveryOptions } from '../config/schema.ts';
import type { RenderedSegment } from '../render/render-types.ts';
import type { DeliveryRow, Ledger } from './ledger.ts';
import type { MailTransport } from './mail-transport.ts';
import type { OutcomeJournal } from './outcome-journal.ts';
import type { BuildSegmentMessage } from './segment-message-builder.ts';
import type { SubscriberUrls } from './subscriber-token.ts';
import type { TransportError } from './transport-error.ts';

/** What the engine needs of a subscriber (the subscriber store's Recipient satisfies it). */
export interface DeliveryRecipient {
  id: number;
  email: string;
  name: string | null;
  /** The stored first name for `%%{first_name}%%` (absent: the first word of the name). */
  firstName?: string | null;
}

/** One recipient's content: which segment, which articles, and how to render it (called once per segment). */
export type DeliveryPlan =
  | { segmentKey: string; articleIds: string[]; render: () => Promise<RenderedSegment> }
  | { skip: string };

export interface SendProgress {
  accepted: number;
  failed: number;
  skipped: number;
  /** Rows this run found already claimed or finished (earlier runs). */
  alreadyDone: number;
  /** Recipients handled so far (any outcome). */
  handled: number;
  total: number | undefined;
  /** Accepted messages per second since the start of this run. */
  rate: number;
  elapsedMs: number;
}

export interface SendEditionDeps<R extends DeliveryRecipient = DeliveryRecipient> {
  ledger: Ledger;
  transport: MailTransport;
  /** Streamed, never collected: memory must not grow with the list. */
  recipients: AsyncIterable<R>;
  plan(recipient: R): Promise<DeliveryPlan>;
  /**
   * Called with each page of recipients read from the stream, before any of them is
   * planned: what `plan` needs of the store can be read once per page instead of per reader.
   */
  preparePage?(recipients: readonly R[]): Promise<void>;
  /**
   * Builds each message from its segment's pre-encoded bodies (segment-message-builder.ts);
   * a test copy comes through the same builder with its test flag (src/app/edition-messages.ts).
   */
  composeMessage: BuildSegmentMessage;
  /** Signed unsubscribe/preferences links and the view-in-browser URL for one subscriber. */
  links(subscriberId: number): SubscriberUrls;
  clock: Clock;
  logger: Logger;
  /** Where outcomes go that the store cannot record (disk full…); without it they stay ambiguous. */
  journal?: OutcomeJournal;
  /** Waits `ms`, returning early when the signal aborts. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  /** In [0, 1): the backoff jitter. */
  random?(): number;
  onProgress?(progress: SendProgress): void;
  /** The server refused this address permanently (5xx at RCPT): the bounce counter's input. */
  onPermanentRejection?(recipient: R, error: TransportError): Promise<void> | void;
  /** A message was accepted: a bounce streak ends. */
  onAccepted?(recipient: R): Promise<void> | void;
}

export interface SendEditionOptions {
  editionId: string;
  /** Plan, render and build every message, touch neither the ledger nor the transport. */
  dryRun?: boolean;
  /** Claim at most this many rows in this run. */
  limit?: number;
  /** Put rows left `sending` by a crash back in the queue first (they may get a second copy). */
  resendAmbiguous?: boolean;
  /** Concurrent sends, hence also the most rows that can be `sending` at once. */
  maxConnections: number;
  delivery: Pick<DeliveryOptions, 'maxAttempts' | 'backoffInitial' | 'backoffMax' | 'maxConsecutiveFailures'>;
  /** The list size if known, for progress and ETA. */
  total?: number;
  /** SIGINT/SIGTERM: stop claiming, finish and record what is in flight, return. */
  signal?: AbortSignal;
  /** Segments kept rendered at once (default 64). */
  segmentCacheSize?: number;
  /** Throttling replies retried on top of maxAttempts (default 10). */
  maxThrottleRetries?: number;
  /** Recipients read ahead and inserted as pending in one transaction (default 256). */
  batchSize?: number;
  /** The recipients arrive queued already (their rows pending): the engine does not insert them. */
  queued?: boolean;
}

export interface SkippedReader {
  subscriberId: number;
  email: string;
  reason: string;
}

/** How many skipped readers a run keeps by name (the rest are counted; `deliveries --status skipped` lists all). */
export const SKIPPED_READERS_KEPT = 200;

export interface SendResult {
  editionId: string;
  dryRun: boolean;
  accepted: number;
  failed: number;
  skipped: number;
  /**
   * Who this run skipped and why (the plan's reason), the first SKIPPED_READERS_KEPT of
   * them: a reader who gets nothing is named, not only counted.
   */
  skippedReaders: SkippedReader[];
  alreadyDone: number;
  /** Dry run: messages that would have been sent. */
  wouldSend: number;
  /** Temporary failures of earlier runs put back in the queue at the start. */
  requeuedFailures: number;
  /** Ambiguous rows put back in the queue by resendAmbiguous. */
  ambiguousResent: number;
  /**
   * Rows left `sending` at the end (a lost reply after DATA in this run, or a crash of an
   * earlier one): maybe accepted, never resent without resendAmbiguous.
   */
  ambiguous: DeliveryRow[];
  /** How many of them this run left: no reply after the end of DATA, or an outcome not recorded. */
  ambiguousThisRun: number;
  /** Outcomes the store could not record, kept in the journal for the next run. */
  journaled: number;
  journalLocation: string | null;
  /** What stopped the run early (the store failing…): the summary still prints. */
  fatal: { code: string; message: string } | null;
  segmentsRendered: number;
  paused: boolean;
  pauseReason: string | null;
  /** The signal stopped the run before the list was done. */
  stopped: boolean;
  limitReached: boolean;
  elapsedMs: number;
  rate: number;
}
