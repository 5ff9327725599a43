import os from 'node:os';
import type { SendLease } from '../delivery/send-lease.ts';
import type { WorkQueue } from '../delivery/work-queue.ts';

/**
 * True when a lease holder is known to be gone: a process of this machine (same host
 * name) whose pid no longer exists (kill -9, a crash, an OOM kill). A process of another
 * machine cannot be checked from here, and this process is alive, so both are "not gone":
 * their leases run out after their TTL instead.
 */
export function isLocalProcessGone(host: string, pid: number): boolean {
  // pid 0 and negative pids address process groups in kill(2): never a lease holder.
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The send leases of live runs only: a lease left by a process that is gone names no
 * one who is sending (its `sending` rows are ambiguous, and the next send takes the
 * lease over at once). `tidings status` and the scheduler read leases through this.
 */
export function liveSendLeases(lease: Pick<SendLease, 'active'>): Pick<SendLease, 'active'> {
  return {
    active: async (now, newsletterId) => (await lease.active(now, newsletterId)).filter((holder) => !isLocalProcessGone(holder.host, holder.pid)),
  };
}

/** Workers with rows in flight, those of this machine whose process is gone left out (their rows are ambiguous, not in flight). */
export function liveWorkersInFlight(queue: Pick<WorkQueue, 'inFlight'>): Pick<WorkQueue, 'inFlight'> {
  return {
    inFlight: async (editionId, at) => (await queue.inFlight(editionId, at)).filter((worker) => !isLocalProcessGone(worker.host, worker.pid)),
  };
}
