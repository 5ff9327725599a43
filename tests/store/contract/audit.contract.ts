import { describe, expect, it } from 'vitest';
import { useStore, type OpenStore } from './stores.ts';

/** The audit port (src/editions/audit-log.ts): append-only, newest first. */
export function auditLogContract(name: string, open: OpenStore): void {
  describe(`${name}: audit`, () => {
    const store = useStore(open);

    it('lists newest first, by edition or all, with details as recorded', async () => {
      const { audit } = store();
      const entry = (action: string, editionId: string | null, details: Record<string, unknown> = {}) =>
        audit.record({
          at: '2026-11-28T06:00:00.000Z',
          actor: 'alice',
          action,
          newsletterId: editionId ? 'daily' : null,
          editionId,
          details,
        });
      await entry('login', null);
      await entry('pin', 'daily/2026-11-28T07:00', {
        articleId: 'a1',
        nested: { list: [1, 'two', null], text: 'Zoë “q”' },
      });
      await entry('approve', 'daily/2026-11-28T07:00');
      await entry('pin', 'daily/2026-11-29T07:00');
      const all = await audit.list({});
      expect(all.map((e) => e.action)).toEqual(['pin', 'approve', 'pin', 'login']);
      expect(new Set(all.map((e) => e.id)).size).toBe(4);
      expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
      const ofEdition = await audit.list({ editionId: 'daily/2026-11-28T07:00' });
      expect(ofEdition.map((e) => e.action)).toEqual(['approve', 'pin']);
      expect(ofEdition[1]).toMatchObject({
        at: '2026-11-28T06:00:00.000Z',
        actor: 'alice',
        newsletterId: 'daily',
        editionId: 'daily/2026-11-28T07:00',
        details: { articleId: 'a1', nested: { list: [1, 'two', null], text: 'Zoë “q”' } },
      });
      expect(all[3]).toMatchObject({ newsletterId: null, editionId: null, details: {} });
      expect((await audit.list({ limit: 2 })).map((e) => e.action)).toEqual(['pin', 'approve']);
      expect(await audit.list({ editionId: 'none' })).toEqual([]);
    });
  });
}
