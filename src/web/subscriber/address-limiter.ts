import type { Clock } from '../../core/clock.ts';

/**
 * Counts signup requests per email address in a sliding window, so nobody can make
 * the server mail one address over and over. In memory: a restart forgets, which
 * only ever allows a few more mails.
 */
export interface AddressLimiter {
  /** Records one attempt; false when the address is over its limit (the attempt is not counted). */
  allow(address: string): boolean;
}

export function createAddressLimiter(options: { clock: Clock; max: number; windowMs: number; maxAddresses?: number }): AddressLimiter {
  const seen = new Map<string, number[]>();
  const capacity = options.maxAddresses ?? 10_000;
  return {
    allow(address) {
      const key = address.trim().toLowerCase();
      const now = options.clock.now().getTime();
      const recent = (seen.get(key) ?? []).filter((at) => now - at < options.windowMs);
      if (recent.length >= options.max) {
        seen.set(key, recent);
        return false;
      }
      recent.push(now);
      seen.delete(key);
      seen.set(key, recent);
      // Oldest entries go first when the map is full (Map keeps insertion order).
      while (seen.size > capacity) seen.delete(seen.keys().next().value!);
      return true;
    },
  };
}
