import type { Ledger } from '../delivery/ledger.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';

/**
 * The ledger as the delivery engine sees it inside one worker batch: claiming a row means
 * marking a row leased to this worker as in flight; the rows exist already (enqueued by
 * `tidings send`); requeueing failures and ambiguous rows is a rerun's decision, never a
 * batch's; ambiguous rows are reported per edition (`tidings status`), not per batch.
 */
export function leasedLedger(ledger: Ledger, queue: WorkQueue, workerId: string): Ledger {
  return {
    // In order only when the in-flight marks and the outcomes share one ordered stream.
    commitsInOrder: Boolean(ledger.commitsInOrder && queue.writes && queue.writes === ledger.writes),
    ensurePending: async () => {},
    claim: (editionId, subscriberId, at) => queue.claimLeased(editionId, subscriberId, workerId, at),
    recordAccepted: (...args) => ledger.recordAccepted(...args),
    recordFailed: (...args) => ledger.recordFailed(...args),
    recordAmbiguous: (...args) => ledger.recordAmbiguous(...args),
    recordSkipped: (...args) => ledger.recordSkipped(...args),
    releaseForRetry: (...args) => ledger.releaseForRetry(...args),
    releaseRetryableFailures: async () => 0,
    counts: (...args) => ledger.counts(...args),
    listAmbiguous: async () => [],
    resetAmbiguous: async () => 0,
    // Deciding ambiguous rows is the operator's (tidings deliveries resolve), never a batch's.
    resolveAmbiguous: async () => ({ resolved: [], refused: [] }),
    resolutions: (...args) => ledger.resolutions(...args),
    unresolvedAmbiguous: (...args) => ledger.unresolvedAmbiguous(...args),
    list: (...args) => ledger.list(...args),
    lastErrors: (...args) => ledger.lastErrors(...args),
    editions: (...args) => ledger.editions(...args),
    receivedArticleIds: (...args) => ledger.receivedArticleIds(...args),
    receivedArticleIdsOfMany: (...args) => ledger.receivedArticleIdsOfMany(...args),
  };
}
