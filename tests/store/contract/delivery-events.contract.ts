import { describe, expect, it } from 'vitest';
import type { DeliveryEvent } from '../../../src/delivery/delivery-events.ts';
import type { OpenPorts } from './backends.ts';
import { usePorts } from './seed.ts';

const E1 = 'daily/2026-11-28T07:00';
const E2 = 'daily/2026-11-29T07:00';
const at = new Date('2026-11-29T08:00:00Z');
const event = (over: Partial<DeliveryEvent>): DeliveryEvent => ({
  editionId: E1,
  subscriberId: 1,
  kind: 'hard-bounce',
  status: '5.1.1',
  detail: 'no such user',
  reportId: 'r1',
  at,
  ...over,
});

/** The DeliveryEventStore port (src/delivery/delivery-events.ts). */
export function deliveryEventsContract(name: string, open: OpenPorts): void {
  describe(`${name}: DeliveryEventStore contract`, () => {
    const ports = usePorts(open);

    it('records a report once, a hard bounce or complaint once per delivery, every soft bounce', async () => {
      const { events } = ports();
      expect(await events.record(event({}))).toBe(true);
      expect(await events.record(event({}))).toBe(false); // the same report again (a rerun)
      expect(await events.record(event({ reportId: 'r2' }))).toBe(false); // a second report of the same bounce
      expect(await events.record(event({ kind: 'soft-bounce', status: '4.2.2', reportId: 'r3' }))).toBe(true);
      expect(await events.record(event({ kind: 'soft-bounce', status: '4.2.2', reportId: 'r4' }))).toBe(true);
      expect(await events.record(event({ kind: 'complaint', status: 'abuse', reportId: 'r5', subscriberId: 2 }))).toBe(
        true,
      );
      expect(await events.record(event({ kind: 'complaint', status: 'abuse', reportId: 'r6', subscriberId: 2 }))).toBe(
        false,
      );
      expect(await events.record(event({ editionId: E2, reportId: 'r7' }))).toBe(true);
      expect(await events.record(event({ editionId: 'weekly/2026-11-28T07:00', reportId: 'r8' }))).toBe(true);
      const counts = await events.countsByEdition('daily');
      expect(Object.fromEntries(counts)).toEqual({
        [E1]: { hardBounces: 1, softBounces: 1, complaints: 1 },
        [E2]: { hardBounces: 1, softBounces: 0, complaints: 0 },
      });
      expect((await events.countsByEdition()).size).toBe(3);
    });

    it('records one hard bounce when two processes read two reports of it at once', async () => {
      const { events, other } = ports();
      const outcomes = await Promise.all([
        events.record(event({ reportId: 'a' })),
        other.events.record(event({ reportId: 'b' })),
      ]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });

    it('lists the editions a subscriber has a ledger row in, newest first', async () => {
      const { events, ledger } = ports();
      await ledger.ensurePending(E1, [7, 8]);
      await ledger.ensurePending(E2, [7]);
      expect(await events.editionIdsFor(7)).toEqual([E2, E1]);
      expect(await events.editionIdsFor(9)).toEqual([]);
    });
  });
}
