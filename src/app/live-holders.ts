import type { SendLease } from '../delivery/send-lease.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';
import { isLocalProcessGone } from '../core/process-liveness.ts';

/**
 * The send leases of live runs only: a lease left by a process that is gone names no
 * one who is sending (its `sending` rows are ambiguous, and the next send takes the
 * lease over at once). `tidings status`, the desk's progress and the scheduler read leases through this.
 */
export function liveSendLeases(lease: Pick<SendLease, 'active'>): Pick<SendLease, 'active'> {
  return {
    active: async (now, newsletterId) =>
      (await lease.active(now, newsletterId)).filter((holder) => !isLocalProcessGone(holder.host, holder.pid)),
  };
}

/** Workers with rows in flight, those of this machine whose process is gone left out (their rows are ambiguous, not in flight). */
export function liveWorkersInFlight(queue: Pick<WorkQueue, 'inFlight'>): Pick<WorkQueue, 'inFlight'> {
  return {
    inFlight: async (editionId, at) =>
      (await queue.inFlight(editionId, at)).filter((worker) => !isLocalProcessGone(worker.host, worker.pid)),
  };
}
