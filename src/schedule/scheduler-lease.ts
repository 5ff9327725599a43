import { TidingsError } from '../core/errors.ts';
import type { SchedulerStore } from './scheduler-store.ts';

/** Another scheduler holds this store's lease: the CLI exits 2 with this message. */
export class LeaseHeldError extends TidingsError {
  constructor(message: string) {
    super('SCHEDULER_LEASE_HELD', message);
  }
}

/**
 * One scheduler per store: a lease row with a heartbeat. A scheduler that crashes stops
 * renewing, so its lease expires after `ttlMs` and the next one may take over.
 */
export class SchedulerLease {
  constructor(
    private readonly store: SchedulerStore,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  async acquire(now: Date): Promise<void> {
    const result = await this.store.acquireLease(this.holder, now, this.ttlMs);
    if (result.acquired) return;
    const { current } = result;
    throw new LeaseHeldError(
      `another scheduler (${current.holder}) runs on this store since ${current.acquiredAt}, last heartbeat ${current.heartbeatAt}; ` +
        `only one may run. If it crashed, its lease expires at ${current.expiresAt}.`,
    );
  }

  /** False when the lease was lost (this process stalled past the TTL and another took over). */
  heartbeat(now: Date): Promise<boolean> {
    return this.store.renewLease(this.holder, now, this.ttlMs);
  }

  release(): Promise<void> {
    return this.store.releaseLease(this.holder);
  }
}
