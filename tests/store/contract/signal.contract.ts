import { describe, expect, it } from 'vitest';
import type { ClickKey } from '../../../src/signal/click-store.ts';
import { useStore, type OpenStore } from './stores.ts';

const key = (overrides: Partial<ClickKey> = {}): ClickKey => ({
  editionId: 'daily/2026-11-28T07:00',
  newsletterId: 'daily',
  slotUtc: '2026-11-28T07:00:00.000Z',
  articleId: 'a1',
  section: 'world',
  source: 'herald',
  ...overrides,
});

/** The click port (src/app/clicks/click-store.ts) and the used approval links (src/app/approvals/approval-link-store.ts). */
export function signalContract(name: string, open: OpenStore): void {
  describe(`${name}: clicks and approval links`, () => {
    const store = useStore(open);

    it('adds clicks and filtered requests per edition, article and section; lists by edition and since a slot', async () => {
      const { clicks } = store();
      await clicks.add(key(), 'clicks');
      await clicks.add(key(), 'clicks');
      await clicks.add(key(), 'filtered');
      await clicks.add(key({ section: 'top' }), 'clicks');
      await clicks.add(key({ articleId: 'a2', source: 'wire' }), 'filtered');
      await clicks.add(
        key({ editionId: 'daily/2026-10-01T07:00', slotUtc: '2026-10-01T07:00:00.000Z', articleId: 'old' }),
        'clicks',
      );
      await clicks.add(
        key({ editionId: 'weekly/2026-11-30T07:00', newsletterId: 'weekly', slotUtc: '2026-11-30T07:00:00.000Z' }),
        'clicks',
      );
      const edition = await clicks.listForEdition('daily/2026-11-28T07:00');
      expect(edition.map((row) => [row.articleId, row.section, row.source, row.clicks, row.filtered])).toEqual([
        ['a1', 'top', 'herald', 1, 0],
        ['a1', 'world', 'herald', 2, 1],
        ['a2', 'world', 'wire', 0, 1],
      ]);
      expect(edition[2]).toEqual({ ...key({ articleId: 'a2', source: 'wire' }), clicks: 0, filtered: 1 });
      const since = await clicks.listSince(new Date('2026-11-01T00:00:00Z'));
      expect(since.map((row) => row.editionId)).toEqual([
        'daily/2026-11-28T07:00',
        'daily/2026-11-28T07:00',
        'daily/2026-11-28T07:00',
        'weekly/2026-11-30T07:00',
      ]);
      expect((await clicks.listSince(new Date('2026-11-01T00:00:00Z'), 'weekly')).map((row) => row.clicks)).toEqual([
        1,
      ]);
      expect(await clicks.listForEdition('none')).toEqual([]);
    });

    it('concurrent clicks on one link all count', async () => {
      const { clicks } = store();
      await Promise.all(Array.from({ length: 20 }, () => clicks.add(key(), 'clicks')));
      expect((await clicks.listForEdition(key().editionId))[0]!.clicks).toBe(20);
    });

    it('records an approval link once: a second use is refused and changes nothing', async () => {
      const { approvalLinks } = store();
      const use = {
        tokenHash: 'ab'.repeat(32),
        editionId: 'daily/2026-11-28T07:00',
        action: 'approve',
        editor: 'ann@example.org',
        usedAt: '2026-11-28T05:10:00.000Z',
      };
      expect(await approvalLinks.findUse(use.tokenHash)).toBeNull();
      expect(await approvalLinks.markUsed(use)).toBe(true);
      expect(await approvalLinks.markUsed({ ...use, editor: 'mallory@example.org', action: 'skip' })).toBe(false);
      expect(await approvalLinks.findUse(use.tokenHash)).toEqual(use);
      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => approvalLinks.markUsed({ ...use, tokenHash: 'cd'.repeat(32) })),
      );
      expect(concurrent.filter(Boolean)).toHaveLength(1);
    });
  });
}
