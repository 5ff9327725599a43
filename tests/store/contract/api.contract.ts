import { afterEach, describe, expect, it } from 'vitest';
import type { ApiStore } from '../../../src/access/api-store.ts';

export interface OpenedApiStore {
  api: ApiStore;
  /** The same store opened a second time (another process). */
  other: ApiStore;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-07T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 86_400_000;

/** The API port (src/app/api/api-store.ts): tokens by hash, revocation, idempotency reservations. */
export function apiStoreContract(name: string, open: () => Promise<OpenedApiStore>): void {
  describe(`${name}: api tokens and idempotency keys`, () => {
    let opened: OpenedApiStore | undefined;
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    it('creates a token found by its hash, refuses a second live one of the same name, revokes it', async () => {
      opened = await open();
      const { api, other } = opened;
      const created = await api.createToken({ name: 'zapier', tokenHash: 'h1', scopes: ['subscribers:read'], at: T0 });
      expect(created).toMatchObject({
        name: 'zapier',
        scopes: ['subscribers:read'],
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(await api.createToken({ name: 'zapier', tokenHash: 'h2', scopes: [], at: T0 })).toBeNull();
      expect(await other.findTokenByHash('h1')).toEqual(created);
      expect(await other.findTokenByHash('h2')).toBeNull();

      await other.recordTokenUse(created!.id, later(1000));
      expect((await api.findTokenByHash('h1'))?.lastUsedAt).toBe(later(1000).toISOString());

      expect(await api.revokeToken('zapier', later(2000))).toBe(true);
      expect(await api.revokeToken('zapier', later(3000))).toBe(false);
      expect((await other.findTokenByHash('h1'))?.revokedAt).toBe(later(2000).toISOString());
      // The name is free again; both stay listed.
      const again = await api.createToken({
        name: 'zapier',
        tokenHash: 'h3',
        scopes: ['send', 'editions:read'],
        at: T0,
      });
      expect(again?.scopes).toEqual(['send', 'editions:read']);
      expect((await other.listTokens()).map((t) => [t.name, t.revokedAt === null])).toEqual([
        ['zapier', false],
        ['zapier', true],
      ]);
    });

    it('reserves a key once per token, stores the answer, frees it on release and after it expires', async () => {
      opened = await open();
      const { api, other } = opened;
      const a = (await api.createToken({ name: 'a', tokenHash: 'ha', scopes: [], at: T0 }))!;
      const b = (await api.createToken({ name: 'b', tokenHash: 'hb', scopes: [], at: T0 }))!;
      const reserve = (store: ApiStore, tokenId: number, at: Date, requestHash = 'r1') =>
        store.reserveIdempotencyKey({ tokenId, key: 'k1', requestHash, at }, new Date(at.getTime() - DAY));

      expect(await reserve(api, a.id, T0)).toEqual({ reserved: true });
      // The other process sees it running; another token's key of the same name is its own.
      expect(await reserve(other, a.id, later(10), 'r2')).toEqual({
        reserved: false,
        existing: {
          tokenId: a.id,
          key: 'k1',
          requestHash: 'r1',
          status: null,
          body: null,
          createdAt: T0.toISOString(),
        },
      });
      expect(await reserve(other, b.id, later(10))).toEqual({ reserved: true });

      await api.completeIdempotencyKey(a.id, 'k1', { status: 201, body: '{"id":7}' });
      const replay = await reserve(other, a.id, later(20));
      expect(replay).toMatchObject({ reserved: false, existing: { status: 201, body: '{"id":7}' } });

      await other.releaseIdempotencyKey(b.id, 'k1');
      expect(await reserve(api, b.id, later(30))).toEqual({ reserved: true });
      // A day later the stored answer is gone: the key may be used again.
      expect(await reserve(api, a.id, later(DAY + 1))).toEqual({ reserved: true });
    });
  });
}
