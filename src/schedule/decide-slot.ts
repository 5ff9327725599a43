import type { EditionStatus } from '../editions/edition.ts';

/** What the scheduler needs to know of a newsletter's policy (all durations in ms). */
export interface SlotPolicy {
  requireApproval: boolean;
  prepareAhead: number;
  approvalDeadline: number;
  onApprovalTimeout: 'send' | 'skip';
  catchUp: number;
  /** delivery.maxLateness: how late an interrupted send may still be resumed unattended. */
  maxLateness: number;
}

/** The instants of one slot: for subscriber-local, the earliest and latest readers' wall time. */
export interface SlotTimes {
  slot: Date;
  firstRelease: Date;
  lastRelease: Date;
}

export type SlotAction =
  | { kind: 'nothing'; why: string }
  | { kind: 'prepare' }
  | { kind: 'miss'; reason: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'send'; approveBecause?: string }
  | { kind: 'hold'; reason: string };

const minutes = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

/**
 * The scheduler's rule for one slot at one instant. Pure, so weeks of schedules can be
 * checked on a fake clock. `edition` is what the store holds for the slot (null: not
 * built yet); `epoch` is the scheduler's first tick on this store (slots before it were
 * never the scheduler's to miss).
 */
export function decideSlot(
  now: Date,
  times: SlotTimes,
  edition: { status: EditionStatus } | null,
  policy: SlotPolicy,
  epoch: Date,
): SlotAction {
  const t = now.getTime();
  const first = times.firstRelease.getTime();
  const last = times.lastRelease.getTime();
  const slot = times.slot.getTime();

  if (!edition) {
    if (t < first - policy.prepareAhead) return { kind: 'nothing', why: 'not due yet' };
    if (t > first + policy.catchUp) {
      // A slot from before the scheduler ever ran was never its to miss: leave it to `tidings send`.
      if (first < epoch.getTime()) return { kind: 'nothing', why: 'before the scheduler first ran' };
      return {
        kind: 'miss',
        reason: `missed: no edition was prepared by ${minutes(policy.catchUp)} after the slot (catchUp); the scheduler was not running or failed`,
      };
    }
    return { kind: 'prepare' };
  }

  switch (edition.status) {
    case 'sent':
    case 'skipped':
      return { kind: 'nothing', why: `already ${edition.status}` };
    case 'sending':
      if (t > last + Math.max(policy.catchUp, policy.maxLateness)) {
        return {
          kind: 'hold',
          reason: `interrupted send older than delivery.maxLateness (${minutes(policy.maxLateness)}): left for ops (tidings send --force)`,
        };
      }
      return t >= first ? { kind: 'send' } : { kind: 'nothing', why: 'not due yet' };
    case 'draft':
      if (policy.requireApproval) {
        const deadline = slot + policy.approvalDeadline;
        if (t < deadline)
          return { kind: 'nothing', why: `waiting for approval until ${new Date(deadline).toISOString()}` };
        if (policy.onApprovalTimeout === 'send' && t <= deadline + policy.catchUp) {
          return {
            kind: 'send',
            approveBecause: `scheduler: not approved within approvalDeadline (${minutes(policy.approvalDeadline)}), onApprovalTimeout: send`,
          };
        }
        return {
          kind: 'skip',
          reason:
            policy.onApprovalTimeout === 'send'
              ? `missed: the approval deadline passed more than catchUp (${minutes(policy.catchUp)}) ago while the scheduler was not running`
              : `approval timeout: not approved within approvalDeadline (${minutes(policy.approvalDeadline)}) after the slot (onApprovalTimeout: skip)`,
        };
      }
      return sendOrMiss(t, first, last, slot, policy, false);
    case 'approved':
      return sendOrMiss(t, first, last, slot, policy, true);
  }
}

function sendOrMiss(
  t: number,
  first: number,
  last: number,
  slot: number,
  policy: SlotPolicy,
  approved: boolean,
): SlotAction {
  if (t < first) return { kind: 'nothing', why: 'not due yet' };
  // An approval that came in before the deadline may go out late, as late as the deadline allows.
  const latest = Math.max(
    last + policy.catchUp,
    approved && policy.requireApproval ? slot + policy.approvalDeadline + policy.catchUp : 0,
  );
  if (t > latest)
    return {
      kind: 'miss',
      reason: `missed: the slot passed more than catchUp (${minutes(policy.catchUp)}) ago before it could be sent`,
    };
  return { kind: 'send' };
}
