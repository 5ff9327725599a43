import { describe, expect, it } from 'vitest';
import { createPoolSignal } from '../../src/app/pool-signal.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { snapshotOf } from '../../src/editions/edition.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { PG_TEST_URL } from '../helpers/postgres.ts';
import { postgresStores, sqliteStores, useStore, type OpenStore } from '../store/contract/stores.ts';

const config = parseConfig(
  {
    categories: { world: { title: 'World' } },
    newsletters: [
      {
        id: 'news',
        title: 'News',
        categories: ['world'],
        from: 'n@example.org',
        schedule: '0 7 * * *',
        analytics: 'aggregate',
        cadences: ['daily', 'weekly'],
      },
    ],
  },
  {},
);
const weekly = config.newsletters[1]!;

/** The ranked pool's signal read from real stores: the daily stream's editions and aggregate clicks of the window. */
function poolSignalSuite(name: string, open: OpenStore): void {
  describe(`pool signal on ${name}`, () => {
    const store = useStore(open);

    it('takes pins, top stories, kept and excluded articles and clicks of the daily editions inside the window only', async () => {
      const { editions, clicks } = store();
      const article = (id: string, position: number) => ({
        ...snapshotOf(makeRecord({ id })),
        articleId: id,
        category: 'world',
        position,
      });
      const daily = async (day: string, ids: string[], status: 'sent' | 'skipped') => {
        const id = `news/${day}T07:00`;
        await editions.createEdition(
          {
            id,
            newsletterId: 'news',
            slot: `${day}T07:00:00+00:00`,
            slotUtc: `${day}T07:00:00.000Z`,
            status,
            statusReason: null,
            articles: ids.map((a, i) => article(a, i + 1)),
          },
          new Date(`${day}T06:00:00Z`),
        );
        return id;
      };
      const before = await daily('2026-11-29', ['old'], 'sent');
      const tue = await daily('2026-12-01', ['pin', 'kept', 'dropped'], 'sent');
      await editions.updatePick(tue, 'pin', { pinned: true });
      await editions.updatePick(tue, 'dropped', { excluded: true });
      await daily('2026-12-02', ['thin'], 'skipped');
      for (let i = 0; i < 3; i++)
        await clicks.add(
          {
            editionId: tue,
            newsletterId: 'news',
            slotUtc: '2026-12-01T07:00:00.000Z',
            articleId: 'kept',
            section: 'world',
            source: 's',
          },
          'clicks',
        );
      await clicks.add(
        {
          editionId: before,
          newsletterId: 'news',
          slotUtc: '2026-11-29T07:00:00.000Z',
          articleId: 'old',
          section: 'world',
          source: 's',
        },
        'clicks',
      );
      const signal = await createPoolSignal({ newsletters: config.newsletters, editions, clicks })(weekly, {
        since: new Date('2026-11-30T07:00:00Z'),
        until: new Date('2026-12-07T07:00:00Z'),
      });
      expect(signal.get('pin')).toMatchObject({ pinned: true, top: true, kept: true });
      expect(signal.get('kept')).toMatchObject({ kept: true, clicks: 3 });
      expect(signal.get('dropped')).toMatchObject({ excluded: true, kept: false });
      // A skipped edition went out to nobody: nothing it held counts as kept.
      expect(signal.get('thin')).toBeUndefined();
      expect(signal.get('old')).toBeUndefined();
    });
  });
}

poolSignalSuite('SQLite', sqliteStores());
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () =>
  poolSignalSuite('PostgreSQL', postgresStores()),
);
