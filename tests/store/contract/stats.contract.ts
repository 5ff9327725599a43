import { describe, expect, it } from 'vitest';
import { isTidingsError } from '../../../src/core/errors.ts';
import type { Store } from '../../../src/store/store.ts';
import { useStore, type OpenStore } from './stores.ts';

/**
 * True while the store's ledger is the pgdelivery placeholder (src/store/postgres/pg-port-placeholder.ts):
 * the ledger tests then skip, and run by themselves once the real port is merged.
 */
async function ledgerPending(store: Store): Promise<boolean> {
  try {
    await store.ledger.counts('probe/none');
    return false;
  } catch (error) {
    return isTidingsError(error) && /\(pgdelivery\)/.test(error.message);
  }
}

/** The stats port (src/store/store-stats.ts): totals over the whole store for /metrics. */
export function storeStatsContract(name: string, open: OpenStore): void {
  describe(`${name}: stats`, () => {
    const store = useStore(open);

    it('counts editions per status', async () => {
      const { editions, stats } = store();
      expect(await stats.editionsByStatus()).toEqual({});
      const make = (slot: string) =>
        editions.createEdition(
          {
            id: `daily/${slot}`,
            newsletterId: 'daily',
            slot,
            slotUtc: slot,
            status: 'draft',
            statusReason: null,
            articles: [],
          },
          new Date(slot),
        );
      for (const slot of ['2026-11-26T07:00:00.000Z', '2026-11-27T07:00:00.000Z', '2026-11-28T07:00:00.000Z'])
        await make(slot);
      await editions.setStatus('daily/2026-11-26T07:00:00.000Z', 'sent', { at: new Date('2026-11-26T07:05:00Z') });
      expect(await stats.editionsByStatus()).toEqual({ draft: 2, sent: 1 });
    });

    it('counts ledger rows per delivery status across editions', async (context) => {
      const { ledger, stats } = store();
      if (await ledgerPending(store())) context.skip();
      expect(await stats.deliveriesByStatus()).toEqual({});
      await ledger.ensurePending('daily/a', [1, 2, 3]);
      await ledger.ensurePending('daily/b', [1]);
      expect(await ledger.recordSkipped('daily/a', 2, new Date('2026-11-28T07:00:00Z'), 'unsubscribed')).toBe(true);
      expect(await stats.deliveriesByStatus()).toEqual({ pending: 3, skipped: 1 });
    });
  });
}
