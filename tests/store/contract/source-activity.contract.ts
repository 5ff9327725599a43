import { describe, expect, it } from 'vitest';
import { makeRecord } from '../../helpers/article-records.ts';
import { useStore, type OpenStore } from './stores.ts';

/** The source watchdog's port (src/ingest/watchdog/source-activity.ts): articles by first sight, without text. */
export function sourceActivityContract(name: string, open: OpenStore): void {
  describe(`${name}: source activity`, () => {
    const store = useStore(open);

    it('lists articles first seen since a time, oldest first, with the length of their text in characters', async () => {
      const { articles, sourceActivity } = store();
      await articles.saveArticles(
        [makeRecord({ id: 'old', source: 'wire', text: 'gone' })],
        new Date('2026-11-01T06:00:00Z'),
      );
      await articles.saveArticles(
        [makeRecord({ id: 'b', source: 'wire', title: 'Zwei', text: 'Ünïcødé 🦉 text', publishedAt: null })],
        new Date('2026-11-20T08:00:00Z'),
      );
      await articles.saveArticles(
        [makeRecord({ id: 'a', source: 'post', title: 'Eins', text: 'x'.repeat(1200) })],
        new Date('2026-11-20T07:00:00Z'),
      );
      const listed = await sourceActivity.listSourceActivity(new Date('2026-11-10T00:00:00Z'));
      expect(listed).toEqual([
        {
          source: 'post',
          firstSeenAt: '2026-11-20T07:00:00.000Z',
          publishedAt: '2026-11-27T08:00:00.000Z',
          title: 'Eins',
          textLength: 1200,
        },
        { source: 'wire', firstSeenAt: '2026-11-20T08:00:00.000Z', publishedAt: null, title: 'Zwei', textLength: 14 },
      ]);
    });
  });
}
