import os from 'node:os';

/**
 * A process of this machine that no longer exists (killed, crashed): its worker's leases
 * can be taken over at once. Another host's process is never judged from here (its
 * heartbeat running out says it is gone), nor this process itself.
 */
export function isLocalProcessGone(host: string, pid: number): boolean {
  if (host !== os.hostname() || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
