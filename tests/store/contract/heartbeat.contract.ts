import { afterEach, describe, expect, it } from 'vitest';
import { checkStoreHealth, HEALTH_HEARTBEAT } from '../../../src/core/store-health.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import type { Store } from '../../../src/store/store.ts';

/** A store, and the same store opened by a process that may not write (a read-only disk). */
export interface StorePair {
  store: Store;
  readOnly: Store;
  close(): Promise<void>;
}

/** The heartbeat port (src/core/store-health.ts): /healthz writes one row and reads it back. */
export function storeHeartbeatContract(name: string, open: () => Promise<StorePair>): void {
  describe(`${name}: heartbeat`, () => {
    let opened: StorePair | undefined;
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    it('writes the row and gives back what it holds; a later beat replaces it', async () => {
      opened = await open();
      const { heartbeat } = opened.store;
      const first = new Date('2026-12-07T10:00:00.123Z');
      expect((await heartbeat.beat(HEALTH_HEARTBEAT, first)).toISOString()).toBe(first.toISOString());
      const second = new Date('2026-12-07T10:00:05.456Z');
      expect((await heartbeat.beat(HEALTH_HEARTBEAT, second)).toISOString()).toBe(second.toISOString());
      // Another writer's row is its own.
      expect((await heartbeat.beat('other', first)).toISOString()).toBe(first.toISOString());
      expect((await heartbeat.beat(HEALTH_HEARTBEAT, second)).toISOString()).toBe(second.toISOString());
    });

    it('a store that refuses writes fails the beat, while it still answers reads', async () => {
      opened = await open();
      await opened.store.editions.createEdition(
        {
          id: 'daily/2026-12-07T07:00:00.000Z',
          newsletterId: 'daily',
          slot: '2026-12-07T07:00:00.000Z',
          slotUtc: '2026-12-07T07:00:00.000Z',
          status: 'draft',
          statusReason: null,
          articles: [],
        },
        new Date('2026-12-07T06:00:00Z'),
      );
      expect(await opened.readOnly.editions.getEdition('daily/2026-12-07T07:00:00.000Z')).not.toBeNull();
      await expect(opened.readOnly.heartbeat.beat(HEALTH_HEARTBEAT, new Date())).rejects.toMatchObject({
        code: 'STORE_FAILED',
      });
      const clock = createFixedClock('2026-12-07T10:00:00Z');
      await expect(checkStoreHealth(opened.readOnly, clock)).rejects.toThrow(/store unavailable: cannot write/);
      await expect(checkStoreHealth(opened.store, clock)).resolves.toBe('store ok');
    });
  });
}
