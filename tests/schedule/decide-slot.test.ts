import { describe, expect, it } from 'vitest';
import { decideSlot, type SlotPolicy } from '../../src/schedule/decide-slot.ts';

const H = 3_600_000;
const SLOT = new Date('2026-11-30T07:00:00Z');
const at = (offsetMinutes: number) => new Date(SLOT.getTime() + offsetMinutes * 60_000);
const times = { slot: SLOT, firstRelease: SLOT, lastRelease: SLOT };
const EPOCH = new Date('2026-11-01T00:00:00Z');
const plain: SlotPolicy = {
  requireApproval: false,
  prepareAhead: 0,
  approvalDeadline: H,
  onApprovalTimeout: 'skip',
  catchUp: H,
  maxLateness: 6 * H,
};
const approval: SlotPolicy = { ...plain, requireApproval: true, prepareAhead: 2 * H };
const kind = (now: Date, edition: Parameters<typeof decideSlot>[2], policy: SlotPolicy, epoch = EPOCH) =>
  decideSlot(now, times, edition, policy, epoch).kind;

describe('the rule for one slot', () => {
  it('prepares from slot - prepareAhead until catchUp after the slot, then records it missed', () => {
    expect(kind(at(-121), null, approval)).toBe('nothing');
    expect(kind(at(-120), null, approval)).toBe('prepare');
    expect(kind(at(60), null, plain)).toBe('prepare');
    expect(kind(at(61), null, plain)).toBe('miss');
    // Before the scheduler ever ran on this store, a slot is not its to miss.
    expect(kind(at(61), null, plain, at(30))).toBe('nothing');
  });

  it('sends a draft that needs no approval from its slot to catchUp after it', () => {
    expect(kind(at(-1), { status: 'draft' }, plain)).toBe('nothing');
    expect(kind(at(0), { status: 'draft' }, plain)).toBe('send');
    expect(kind(at(61), { status: 'draft' }, plain)).toBe('miss');
  });

  it('with approval: an unapproved draft waits for the deadline, then skip or send (send only within catchUp of it)', () => {
    expect(kind(at(59), { status: 'draft' }, approval)).toBe('nothing');
    expect(decideSlot(at(60), times, { status: 'draft' }, approval, EPOCH)).toMatchObject({
      kind: 'skip',
      reason: expect.stringMatching(/^approval timeout/),
    });
    const sending = { ...approval, onApprovalTimeout: 'send' as const };
    expect(decideSlot(at(60), times, { status: 'draft' }, sending, EPOCH)).toMatchObject({
      kind: 'send',
      approveBecause: expect.stringMatching(/approvalDeadline/),
    });
    expect(decideSlot(at(121), times, { status: 'draft' }, sending, EPOCH)).toMatchObject({
      kind: 'skip',
      reason: expect.stringMatching(/^missed/),
    });
    // An approval that came after the slot but before the deadline still goes out.
    expect(kind(at(100), { status: 'approved' }, approval)).toBe('send');
    expect(kind(at(121), { status: 'approved' }, approval)).toBe('miss');
  });

  it('resumes an interrupted send within delivery.maxLateness, leaves an older one to ops; sent and skipped are final', () => {
    expect(kind(at(5 * 60), { status: 'sending' }, plain)).toBe('send');
    expect(kind(at(6 * 60 + 1), { status: 'sending' }, plain)).toBe('hold');
    expect(kind(at(0), { status: 'sent' }, plain)).toBe('nothing');
    expect(kind(at(0), { status: 'skipped' }, plain)).toBe('nothing');
  });

  it('subscriber-local: prepared before the earliest reader, sendable until catchUp after the latest', () => {
    const spread = {
      slot: SLOT,
      firstRelease: new Date(SLOT.getTime() - 13 * H),
      lastRelease: new Date(SLOT.getTime() + 8 * H),
    };
    expect(decideSlot(at(-13 * 60), spread, null, plain, EPOCH).kind).toBe('prepare');
    expect(decideSlot(at(8 * 60 + 59), spread, { status: 'sending' }, plain, EPOCH).kind).toBe('send');
    expect(decideSlot(at(9 * 60), spread, { status: 'approved' }, plain, EPOCH).kind).toBe('send');
    expect(decideSlot(at(9 * 60 + 1), spread, { status: 'approved' }, plain, EPOCH).kind).toBe('miss');
  });
});
