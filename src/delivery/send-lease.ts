import { TidingsError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';

/**
 * Who is sending an edition right now. A send holds the edition's lease while it runs
 * and renews it with a heartbeat; a crashed run's lease expires. Owned by delivery; the
 * scheduler asks `active()` whether a newsletter is still sending.
 */
export interface LeaseHolder {
  editionId: string;
  /** Unique per run: host, pid and a random tag. */
  holder: string;
  host: string;
  pid: number;
  acquiredAt: string;
  heartbeatAt: string;
  expiresAt: string;
}

export interface LeaseRequest {
  holder: string;
  host: string;
  pid: number;
}

export type LeaseClaim = { acquired: true } | { acquired: false; current: LeaseHolder };

export interface SendLease {
  /**
   * Takes the edition's lease when nobody holds it, the holder's lease expired, or the
   * holder is `replaceHolder` (known dead); otherwise returns the current holder.
   */
  acquire(
    editionId: string,
    request: LeaseRequest,
    now: Date,
    ttlMs: number,
    replaceHolder?: string,
  ): Promise<LeaseClaim>;
  /** Extends our lease; false when it is no longer ours (it expired and someone else took it). */
  renew(editionId: string, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  release(editionId: string, holder: string): Promise<void>;
  /** Unexpired leases, optionally of one newsletter's editions: what is being sent now. */
  active(now: Date, newsletterId?: string): Promise<LeaseHolder[]>;
}

/** A lease lasts this long without a heartbeat; heartbeats come four times as often. */
export const SEND_LEASE_TTL_MS = 60_000;
const HEARTBEAT_EVERY_MS = SEND_LEASE_TTL_MS / 4;

export interface HeldLease {
  /** Aborts when the lease was lost (taken over after a stall): stop claiming. */
  lost: AbortSignal;
  release(): Promise<void>;
}

export interface HoldLeaseOptions {
  lease: SendLease;
  editionId: string;
  request: LeaseRequest;
  clock: Clock;
  logger: Logger;
  /** True when the holder is a process on this machine that no longer exists: its lease is stale. */
  isHolderGone(holder: LeaseHolder): boolean;
  /** What the refusal says to do, e.g. "wait for it to finish". */
  refusal(holder: LeaseHolder): string;
}

/** Takes the edition's lease and keeps it alive, or throws SEND_LEASE_HELD naming the holder. */
export async function holdSendLease(options: HoldLeaseOptions): Promise<HeldLease> {
  const { lease, editionId, request, clock, logger } = options;
  let claim = await lease.acquire(editionId, request, clock.now(), SEND_LEASE_TTL_MS);
  if (!claim.acquired && options.isHolderGone(claim.current)) {
    logger.warn({ editionId, holder: claim.current.holder }, 'taking over the lease of a send that no longer runs');
    claim = await lease.acquire(editionId, request, clock.now(), SEND_LEASE_TTL_MS, claim.current.holder);
  }
  if (!claim.acquired) {
    const current = claim.current;
    throw new TidingsError(
      'SEND_LEASE_HELD',
      `${editionId} is being sent by ${current.holder} (since ${current.acquiredAt}, last heartbeat ${current.heartbeatAt}, ` +
        `its lease expires at ${current.expiresAt} unless renewed): ${options.refusal(current)}`,
    );
  }
  const lost = new AbortController();
  const timer = setInterval(() => {
    lease.renew(editionId, request.holder, clock.now(), SEND_LEASE_TTL_MS).then(
      (held) => {
        if (held || lost.signal.aborted) return;
        logger.error({ editionId }, 'the send lease was taken over by another run: stopping');
        lost.abort();
      },
      (error: unknown) => logger.warn({ editionId }, `cannot renew the send lease: ${(error as Error).message}`),
    );
  }, HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    lost: lost.signal,
    release: async () => {
      clearInterval(timer);
      await lease.release(editionId, request.holder);
    },
  };
}
