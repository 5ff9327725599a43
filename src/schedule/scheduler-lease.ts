import { TidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { SchedulerStore } from './scheduler-store.ts';

/** Another scheduler holds this store's lease: the CLI exits 2 with this message. */
export class LeaseHeldError extends TidingsError {
  constructor(message: string) {
    super('SCHEDULER_LEASE_HELD', message);
  }
}

/** A scheduler's holder name: `<host>:<pid>:<tag>`, the tag random per process. */
export function schedulerHolderName(host: string, pid: number, tag: string): string {
  return `${host}:${pid}:${tag}`;
}

/** The host and pid of a holder name made by `schedulerHolderName`; null for any other form. */
export function parseSchedulerHolder(holder: string): { host: string; pid: number } | null {
  // From the right: the tag and the pid have no colon, a host name might.
  const match = /^(.+):(\d+):([^:]+)$/.exec(holder);
  return match ? { host: match[1]!, pid: Number(match[2]) } : null;
}

export interface SchedulerLeaseOptions {
  /** True when the holder is a process of this machine that no longer exists: taken over at once. */
  isHolderGone?: (holder: string) => boolean;
  logger?: Logger;
}

/**
 * One scheduler per store: a lease row with a heartbeat. A scheduler that crashes stops
 * renewing; a restart on the same machine takes its lease over at once (its pid is gone),
 * one elsewhere waits until it expires after `ttlMs`.
 */
export class SchedulerLease {
  constructor(
    private readonly store: SchedulerStore,
    readonly holder: string,
    readonly ttlMs: number,
    private readonly options: SchedulerLeaseOptions = {},
  ) {}

  async acquire(now: Date): Promise<void> {
    let result = await this.store.acquireLease(this.holder, now, this.ttlMs);
    if (!result.acquired && this.options.isHolderGone?.(result.current.holder)) {
      this.options.logger?.warn(
        { holder: result.current.holder },
        'taking over the scheduler lease of a process of this machine that no longer runs',
      );
      result = await this.store.acquireLease(this.holder, now, this.ttlMs, result.current.holder);
    }
    if (result.acquired) return;
    const { current } = result;
    const waitSeconds = Math.max(0, Math.ceil((Date.parse(current.expiresAt) - now.getTime()) / 1000));
    throw new LeaseHeldError(
      `another scheduler (${current.holder}) runs on this store since ${current.acquiredAt}, last heartbeat ${current.heartbeatAt}; ` +
        `only one may run. If it crashed, its lease expires at ${current.expiresAt} (in ${waitSeconds} s): start again after that ` +
        '(a crashed process of this machine is taken over at once).',
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
