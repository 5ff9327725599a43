import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { DeliveryCounts, Ledger } from '../delivery/ledger.ts';
import type { MailTransport } from '../delivery/mail-transport.ts';
import type { OutcomeJournal } from '../delivery/outcome-journal.ts';
import type { DeliveryRecipient, SendEditionDeps, SendEditionOptions } from '../delivery/send-types.ts';
import type { WorkerInfo, WorkQueue } from '../delivery/work-queue.ts';

/** What sending one edition takes, prepared once per edition by the composition root. */
export interface EditionWork<R extends DeliveryRecipient> {
  /** Those of these subscribers (ascending ids) who still get the edition; the others' rows are skipped. */
  recipients(ids: readonly number[]): Promise<R[]>;
  plan: SendEditionDeps<R>['plan'];
  preparePage?: SendEditionDeps<R>['preparePage'];
  composeMessage: SendEditionDeps<R>['composeMessage'];
  links: SendEditionDeps<R>['links'];
  onPermanentRejection?: SendEditionDeps<R>['onPermanentRejection'];
  onAccepted?: SendEditionDeps<R>['onAccepted'];
}

export interface WorkerDeps<R extends DeliveryRecipient> {
  queue: WorkQueue;
  ledger: Ledger;
  /** The real transport; the worker puts its share of the rate limit in front of it. */
  transport: MailTransport;
  clock: Clock;
  logger: Logger;
  journal?: OutcomeJournal;
  /** Null when the edition must not be sent now (unknown, skipped, not approved): its rows wait. */
  prepareEdition(editionId: string): Promise<EditionWork<R> | null>;
  /** No pending row is left in the edition (after this worker's batch): e.g. mark it sent when nothing failed. */
  onEditionDrained?(editionId: string, counts: DeliveryCounts): Promise<void>;
  /** Queues readers of editions whose queuing a send left unfinished; returns how many it queued. */
  finishQueuing?(signal: AbortSignal): Promise<number>;
  /**
   * True for a worker whose process is known to be gone (same host, no such pid): its
   * leased rows are taken over at once instead of after its lease runs out.
   */
  isWorkerGone?(worker: WorkerInfo): boolean;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

export interface WorkerOptions {
  worker: WorkerInfo;
  /** Only this newsletter's editions. */
  newsletterId?: string;
  /** Rows leased per claim (worker.batchSize). */
  batchSize: number;
  /** A batch's lease, and the worker's heartbeat TTL; renewed four times per period (worker.leaseTtl). */
  leaseMs: number;
  /** Concurrent SMTP sends in this worker (--concurrency): also its most rows in flight at once. */
  concurrency: number;
  /** Messages per second across all workers (transport.rateLimit), or null for none. */
  rateLimit: number | null;
  delivery: SendEditionOptions['delivery'];
  /** Wait between looks at an empty queue (worker.idleWait). */
  idleMs: number;
  /** Return once no sendable edition has pending rows (tests, `--until-idle`), instead of waiting for more. */
  exitWhenIdle?: boolean;
  /** SIGTERM/SIGINT: finish the messages in flight, hand the rest of the batch back, leave. */
  signal?: AbortSignal;
}

export interface WorkerSummary {
  batches: number;
  accepted: number;
  failed: number;
  skipped: number;
  alreadyDone: number;
  ambiguousThisRun: number;
  segmentsRendered: number;
  segmentsReused: number;
  editions: string[];
}
