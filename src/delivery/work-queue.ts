import type { ClaimResult, SubscriberId } from './ledger.ts';

/**
 * The ledger as a queue shared by delivery workers (`tidings worker`, PostgreSQL). A worker
 * leases a batch of pending rows (they stay `pending`, with an owner and an expiry, so a
 * killed worker's batch returns to the queue when its lease runs out) and marks each row
 * in flight (pending → `sending`) right before its SMTP call: after a SIGKILL only rows in
 * flight are ambiguous, as in a single process. Owned by src/worker/; implemented in store/.
 */
export interface WorkerInfo {
  /** Unique per worker process: host, pid and a random tag. */
  workerId: string;
  host: string;
  pid: number;
}

export interface WorkQueue {
  /** Registers or renews this worker (alive until at + ttlMs); returns how many workers are alive, this one included. */
  heartbeat(worker: WorkerInfo, at: Date, ttlMs: number): Promise<number>;
  /**
   * A clean exit: the worker is forgotten and its leased rows return to the queue at once.
   * Also how a worker known to be gone (its process no longer exists) is taken over: its
   * in-flight rows then count as ambiguous at once.
   */
  leave(workerId: string): Promise<void>;
  /** Registered workers (their heartbeat may not have run out yet). */
  workers(): Promise<WorkerInfo[]>;
  /** Editions that still have pending rows (leased or not), oldest first; optionally of one newsletter. */
  queuedEditions(newsletterId?: string): Promise<string[]>;
  /**
   * Leases up to `limit` pending rows of the edition that nobody holds (never leased, or
   * their lease ran out) to this worker until at + leaseMs; rows another worker is leasing
   * right now are skipped, not waited for. Returns the subscriber ids, ascending.
   */
  claimBatch(editionId: string, workerId: string, limit: number, leaseMs: number, at: Date): Promise<SubscriberId[]>;
  /**
   * The ordered write stream its in-flight marks go through (the store's own object, only
   * compared): when it is the ledger's `writes`, a mark and the ledger's acceptances commit in
   * the order asked, and a worker's ledger may say `commitsInOrder` (worker/leased-ledger.ts).
   */
  readonly writes?: object;
  /** In flight: a row leased to this worker → `sending`, with Ledger.claim's rules (a reader who left is skipped). */
  claimLeased(editionId: string, subscriberId: SubscriberId, workerId: string, at: Date): Promise<ClaimResult>;
  /** Extends every lease this worker holds (its heartbeat); returns how many rows it holds. */
  renewLeases(workerId: string, at: Date, leaseMs: number): Promise<number>;
  /** Returns this worker's leased rows (of one edition, or all) to the queue; returns how many. */
  releaseLeases(workerId: string, editionId?: string): Promise<number>;
  /** Live workers (heartbeat not expired at `at`) with rows of the edition in flight (`sending`), and how many each. */
  inFlight(editionId: string, at: Date): Promise<{ workerId: string; host: string; pid: number; rows: number }[]>;
  /** A segment rendered for this edition by any worker (serialized), or null (none yet, or one being rendered). */
  loadSegment(editionId: string, segmentKey: string): Promise<string | null>;
  /**
   * The stored segment, or the turn to render it: `render` when this caller reserved it
   * (nobody had, or the reservation is older than `staleMs`: its renderer died), `wait`
   * while another process renders it. So processes that need a segment at once render it once.
   */
  reserveSegment(
    editionId: string,
    segmentKey: string,
    workerId: string,
    at: Date,
    staleMs: number,
  ): Promise<{ rendered: string } | 'render' | 'wait'>;
  /** Gives up this caller's reservation (its render failed): the next to ask renders. */
  abandonSegment(editionId: string, segmentKey: string, workerId: string): Promise<void>;
  /** Stores a rendered segment unless another worker stored it first; returns the one stored. */
  saveSegment(editionId: string, segmentKey: string, rendered: string, workerId: string, at: Date): Promise<string>;
}
