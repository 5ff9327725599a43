import os from 'node:os';

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
