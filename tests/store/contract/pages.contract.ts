import { describe, expect, it } from 'vitest';
import type { CachedPage } from '../../../src/ingest/fulltext/page-cache-store.ts';
import { useStore, type OpenStore } from './stores.ts';

/** The pages port (src/store/page-cache-store.ts): full text by URL with its validators. */
export function pageCacheContract(name: string, open: OpenStore): void {
  describe(`${name}: pages`, () => {
    const store = useStore(open);

    it('puts, replaces and touches a page by URL', async () => {
      const { pages } = store();
      const page: CachedPage = {
        url: 'https://news.example.org/a?b=1#c',
        validators: { etag: 'W/"1"', lastModified: null },
        title: 'Ünïcødé 🦉',
        text: 'First paragraph.\n\nSecond — with “quotes”.',
        imageUrl: null,
        language: 'de',
        fetchedAt: '2026-12-01T08:00:00.000Z',
      };
      expect(await pages.getPage(page.url)).toBeNull();
      await pages.putPage(page);
      expect(await pages.getPage(page.url)).toEqual(page);
      const replaced: CachedPage = {
        ...page,
        validators: { etag: null, lastModified: 'Tue, 01 Dec 2026 09:00:00 GMT' },
        title: null,
        text: 'New text.',
        imageUrl: 'https://img.example.org/x.jpg',
        language: null,
        fetchedAt: '2026-12-01T09:00:00.000Z',
      };
      await pages.putPage(replaced);
      expect(await pages.getPage(page.url)).toEqual(replaced);
      await pages.touchPage(page.url, new Date('2026-12-01T10:00:00Z'));
      expect(await pages.getPage(page.url)).toEqual({ ...replaced, fetchedAt: '2026-12-01T10:00:00.000Z' });
      await pages.touchPage('https://unknown.example.org/', new Date('2026-12-01T10:00:00Z'));
      expect(await pages.getPage('https://unknown.example.org/')).toBeNull();
    });
  });
}
