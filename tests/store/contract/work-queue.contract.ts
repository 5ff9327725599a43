import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../../src/delivery/ledger.ts';
import type { WorkQueue } from '../../../src/delivery/work-queue.ts';
import type { SubscriberStore } from '../../../src/subscribers/subscriber-store.ts';
import { seedSubscribers, staged } from './seed.ts';
import { afterEach, beforeEach } from 'vitest';

const E = 'morning/2026-11-28T07:00';
const T0 = new Date('2026-11-28T07:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const w = (workerId: string) => ({ workerId, host: 'h', pid: 1 });

export interface OpenedQueue {
  queue: WorkQueue;
  /** The same store seen by a second worker process. */
  otherQueue: WorkQueue;
  ledger: Ledger;
  subscribers: SubscriberStore;
  close(): Promise<void>;
}

/** The WorkQueue port (src/delivery/work-queue.ts): leases, in-flight marks, shared segments, live workers. */
export function workQueueContract(name: string, open: () => Promise<OpenedQueue>): void {
  describe(`${name}: WorkQueue contract`, () => {
    let current: OpenedQueue;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(() => current.close());

    it('leases disjoint batches to racing workers, and a lease that runs out returns its rows', async () => {
      const { queue, otherQueue, ledger } = current;
      await ledger.ensurePending(
        E,
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      await ledger.ensurePending('evening/2026-11-28T19:00', [1]);
      expect(await queue.queuedEditions()).toEqual(['evening/2026-11-28T19:00', E]);
      expect(await queue.queuedEditions('morning')).toEqual([E]);
      const [a, b] = await Promise.all([
        queue.claimBatch(E, 'a', 10, 1000, T0),
        otherQueue.claimBatch(E, 'b', 10, 1000, T0),
      ]);
      expect(a).toHaveLength(10);
      expect(b).toHaveLength(10);
      expect(new Set([...a, ...b]).size).toBe(20);
      const c = await queue.claimBatch(E, 'c', 50, 10_000, T0);
      expect(c).toHaveLength(10);
      expect(await queue.claimBatch(E, 'c', 50, 1000, at(500))).toEqual([]);
      // Worker a is in flight with one row, then dies: the rest of its batch comes back after its lease.
      expect(await queue.claimLeased(E, a[0]!, 'a', at(10))).toEqual({ claimed: true });
      expect(await queue.claimLeased(E, a[1]!, 'b', at(10))).toEqual({ claimed: false, skipped: null }); // not b's
      expect(await ledger.claim(E, a[1]!, at(10))).toEqual({ claimed: false, skipped: null }); // a plain send leaves it too
      expect(await queue.renewLeases('b', at(900), 1000)).toBe(10);
      const back = await queue.claimBatch(E, 'c', 50, 1000, at(1500));
      expect(back.sort((x, y) => x - y)).toEqual(a.slice(1));
      expect(await ledger.counts(E)).toMatchObject({ pending: 29, sending: 1 });
      expect(await queue.releaseLeases('c', E)).toBe(19);
      expect(await queue.claimBatch(E, 'd', 50, 1000, at(1600))).toHaveLength(19);
    });

    it('marks a leased row in flight only for a reader who still wants it', async () => {
      const { queue, ledger, subscribers } = current;
      const [ann, bob] = await seedSubscribers(subscribers, [
        staged('ann@example.org', { morning: null }),
        staged('bob@example.org', { morning: null }),
      ]);
      await ledger.ensurePending(E, [ann!, bob!]);
      await queue.claimBatch(E, 'a', 10, 1000, T0);
      await subscribers.unsubscribe(bob!, 'morning', T0);
      expect(await queue.claimLeased(E, ann!, 'a', at(1))).toEqual({ claimed: true });
      expect(await queue.claimLeased(E, bob!, 'a', at(1))).toEqual({
        claimed: false,
        skipped: 'subscription unsubscribed before delivery',
      });
      expect(await queue.queuedEditions()).toEqual([]);
    });

    it("never resets a live worker's in-flight rows for --resend-ambiguous; a dead worker's become ambiguous", async () => {
      const { queue, ledger } = current;
      await ledger.ensurePending(E, [1, 2, 3]);
      await queue.heartbeat(w('a'), T0, 10_000);
      await queue.claimBatch(E, 'a', 2, 10_000, T0);
      expect(await queue.claimLeased(E, 1, 'a', at(1))).toEqual({ claimed: true });
      // A `tidings send` run's own claim of row 3 left ambiguous (no worker owns it).
      await ledger.claim(E, 3, at(1));
      expect(await queue.inFlight(E, at(2))).toEqual([{ workerId: 'a', host: 'h', pid: 1, rows: 1 }]);
      expect(await ledger.resetAmbiguous(E, at(2))).toBe(1);
      expect(await ledger.counts(E)).toMatchObject({ sending: 1, pending: 2 });
      // Once the worker's heartbeat has run out, its in-flight row is ambiguous like any other.
      expect(await queue.inFlight(E, at(20_000))).toEqual([]);
      expect(await ledger.resetAmbiguous(E, at(20_000))).toBe(1);
      expect(await ledger.counts(E)).toMatchObject({ sending: 0, pending: 3 });
    });

    it('keeps the first stored rendering of a segment, and counts live workers by heartbeat', async () => {
      const { queue, otherQueue } = current;
      expect(await queue.loadSegment(E, 'seg-1')).toBeNull();
      const [first, second] = await Promise.all([
        queue.saveSegment(E, 'seg-1', '{"by":"a"}', 'a', T0),
        otherQueue.saveSegment(E, 'seg-1', '{"by":"b"}', 'b', T0),
      ]);
      expect(first).toBe(second);
      expect(await queue.loadSegment(E, 'seg-1')).toBe(first);
      expect(await queue.heartbeat(w('a'), T0, 1000)).toBe(1);
      expect(await otherQueue.heartbeat(w('b'), at(100), 1000)).toBe(2);
      expect(await queue.heartbeat(w('a'), at(1500), 1000)).toBe(1); // b stopped beating
      await queue.leave('a');
      expect(await otherQueue.heartbeat(w('b'), at(1600), 1000)).toBe(1);
    });

    it('refuses to resolve a row a live worker has in flight; once its heartbeat runs out the row is ambiguous and resolvable', async () => {
      const { queue, ledger } = current;
      await ledger.ensurePending(E, [1, 2]);
      await queue.heartbeat(w('a'), T0, 1000);
      await queue.claimBatch(E, 'a', 10, 1000, T0);
      expect(await queue.claimLeased(E, 1, 'a', at(10))).toEqual({ claimed: true });
      const asked = { subscriberIds: [1], decision: 'not-accepted' as const, by: 'ops', at: at(20) };
      expect(await ledger.resolveAmbiguous(E, asked)).toEqual({
        resolved: [],
        refused: [{ subscriberId: 1, email: null, status: 'sending', why: 'in-flight' }],
      });
      expect(await ledger.resolveAmbiguous(E, { ...asked, subscriberIds: 'all-ambiguous' })).toEqual({
        resolved: [],
        refused: [],
      });
      expect(await ledger.unresolvedAmbiguous(at(20))).toEqual([]);
      const dead = at(5000);
      expect(await ledger.unresolvedAmbiguous(dead)).toEqual([{ editionId: E, rows: 1 }]);
      const resolved = await ledger.resolveAmbiguous(E, { ...asked, at: dead });
      expect(resolved.resolved.map((r) => [r.subscriberId, r.status])).toEqual([[1, 'pending']]);
      // Back in the queue for any worker.
      expect(await queue.claimBatch(E, 'b', 10, 1000, at(5001))).toEqual([1, 2]);
    });

    it('lets one process render a segment while the others wait for it; a stale or abandoned reservation passes on', async () => {
      const { queue, otherQueue } = current;
      const turns = await Promise.all([
        queue.reserveSegment(E, 'seg-2', 'a', T0, 30_000),
        otherQueue.reserveSegment(E, 'seg-2', 'b', T0, 30_000),
      ]);
      expect(turns.sort()).toEqual(['render', 'wait']);
      expect(await queue.loadSegment(E, 'seg-2')).toBeNull(); // a reservation is not a rendering
      const renderer = turns[0] === 'render' ? 'a' : 'b';
      expect(await queue.saveSegment(E, 'seg-2', '{"by":"renderer"}', renderer, at(10))).toBe('{"by":"renderer"}');
      expect(await otherQueue.reserveSegment(E, 'seg-2', 'c', at(20), 30_000)).toEqual({
        rendered: '{"by":"renderer"}',
      });

      // The renderer died: after staleMs the next asker renders; a failed render hands the turn on at once.
      expect(await queue.reserveSegment(E, 'seg-3', 'a', T0, 30_000)).toBe('render');
      expect(await otherQueue.reserveSegment(E, 'seg-3', 'b', at(29_000), 30_000)).toBe('wait');
      expect(await otherQueue.reserveSegment(E, 'seg-3', 'b', at(31_000), 30_000)).toBe('render');
      await otherQueue.abandonSegment(E, 'seg-3', 'b');
      expect(await queue.reserveSegment(E, 'seg-3', 'c', at(31_001), 30_000)).toBe('render');
    });
  });
}
