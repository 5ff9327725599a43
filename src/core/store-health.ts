import type { Clock } from './clock.ts';
import { describeError } from './errors.ts';

/**
 * One small row the health check writes and reads back: a store that answers reads but
 * refuses writes (a read-only disk or file, a full disk, a replica) fails it, where every
 * signup, unsubscribe and send would fail too. Owned here, below every layer, so that
 * store/sqlite and store/postgres implement it without importing the app that checks it.
 */
export interface StoreHeartbeat {
  /** Upserts the row `name` with `at` and returns the time the store now holds for it. */
  beat(name: string, at: Date): Promise<Date>;
}

/**
 * Totals over the whole store for monitoring (the /metrics endpoint): cheap aggregate
 * queries, read at scrape time. Kept with the heartbeat: both are what monitoring asks
 * of any store.
 */
export interface StoreStats {
  /** Editions per status (draft, approved, sending, sent, skipped, …). */
  editionsByStatus(): Promise<Record<string, number>>;
  /** Ledger rows per delivery status across every edition. */
  deliveriesByStatus(): Promise<Record<string, number>>;
}

/** The heartbeat row of the web server's /healthz. */
export const HEALTH_HEARTBEAT = 'healthz';

/**
 * Writes the heartbeat and checks that the store gives back what was written; returns the
 * /healthz detail, or rejects with the reason the store is not usable.
 */
export async function checkStoreHealth(store: { heartbeat: StoreHeartbeat }, clock: Clock): Promise<string> {
  const at = clock.now();
  let stored: Date;
  try {
    stored = await store.heartbeat.beat(HEALTH_HEARTBEAT, at);
  } catch (error) {
    throw new Error(`store unavailable: cannot write (${describeError(error)})`);
  }
  if (stored.getTime() !== at.getTime())
    throw new Error(
      `store unavailable: the heartbeat written (${at.toISOString()}) did not read back (${stored.toISOString()})`,
    );
  return 'store ok';
}
