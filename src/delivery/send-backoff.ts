/** Exponential backoff with equal jitter: half the delay fixed, half random. */
export function computeBackoff(attempt: number, initialMs: number, maxMs: number, random: number): number {
  const delay = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay / 2 + (delay / 2) * random);
}
