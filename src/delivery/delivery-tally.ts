import type { DeliveryCounts, ResolutionSummary } from './ledger.ts';

/**
 * An edition's ledger in the words every report uses (the send summary, `tidings status`,
 * the desk): accepted, failed, ambiguous, skipped, pending, and rows in flight. `sending`
 * rows are either in flight (a live send or worker has them) or ambiguous (nobody does:
 * the server may have the message); the caller knows which, the ledger alone does not.
 */
export interface DeliveryTally {
  accepted: number;
  failed: number;
  ambiguous: number;
  skipped: number;
  pending: number;
  inFlight: number;
  total: number;
}

export function tallyOf(counts: DeliveryCounts, ambiguous: number): DeliveryTally {
  const unresolved = Math.min(Math.max(0, ambiguous), counts.sending);
  return {
    accepted: counts.accepted,
    failed: counts.failed,
    ambiguous: unresolved,
    skipped: counts.skipped,
    pending: counts.pending,
    inFlight: counts.sending - unresolved,
    total: counts.total,
  };
}

/** "298 accepted, 0 failed, 4 ambiguous, 0 skipped, 0 pending of 302" (", 3 in flight" while some are). */
export function describeTally(tally: DeliveryTally): string {
  const inFlight = tally.inFlight ? `, ${tally.inFlight} in flight` : '';
  return `${tally.accepted} accepted, ${tally.failed} failed, ${tally.ambiguous} ambiguous, ${tally.skipped} skipped, ${tally.pending} pending${inFlight} of ${tally.total}`;
}

/** What a sent edition keeps of its resolved rows: "2 were ambiguous, resolved by ops (1 accepted, 1 not accepted and resent)". */
export function describeResolutions(resolved: ResolutionSummary): string {
  const count = resolved.accepted + resolved.notAccepted;
  const parts = [
    resolved.accepted ? `${resolved.accepted} accepted` : '',
    resolved.notAccepted ? `${resolved.notAccepted} not accepted and resent` : '',
  ].filter(Boolean);
  return `${count} ${count === 1 ? 'was' : 'were'} ambiguous, resolved by ${resolved.by.join(', ')} (${parts.join(', ')})`;
}
