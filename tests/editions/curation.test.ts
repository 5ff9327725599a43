import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { buildEdition } from '../../src/editions/build-edition.ts';
import { EditionCurator } from '../../src/editions/curate-edition.ts';
import { chooseTopStoryWithRule, curatedArticles } from '../../src/editions/plan-digest.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { PG_TEST_URL } from '../helpers/postgres.ts';
import { postgresStores, sqliteStores, useStore, type OpenStore } from '../store/contract/stores.ts';

const config = parseConfig(
  {
    categories: { world: { title: 'World' }, technology: { title: 'Technology' }, security: { title: 'Security' } },
    newsletters: [
      {
        id: 'daily',
        title: 'Daily',
        categories: ['security', 'technology', 'world'],
        window: '24h',
        perCategory: 1,
        maxArticles: 10,
        minArticles: 1,
        from: 'Daily <d@example.org>',
        timezone: 'UTC',
      },
    ],
  },
  {},
);
const newsletter = config.newsletters[0]!;
const hour = (h: number) => new Date(Date.UTC(2026, 10, 28, h)).toISOString();

/** The curation workflow over the store ports, run on both stores (the ports' own contracts: tests/store/contract/). */
function curationSuite(name: string, open: OpenStore): void {
  describe(`curation on ${name}: add, recategorize, block, approve and withdraw`, () => {
    const current = useStore(open);

    async function setup() {
      const store = current();
      await store.articles.saveArticles(
        [
          makeRecord({
            id: 's1',
            title: 'Patch released for router flaw',
            categories: ['security'],
            publishedAt: hour(5),
            source: 'wire',
          }),
          makeRecord({
            id: 's2',
            title: 'Ransomware gang arrested in raid',
            categories: ['security'],
            publishedAt: hour(4),
            source: 'tabloid',
            sourceTitle: 'The Tabloid',
          }),
          makeRecord({
            id: 't1',
            title: 'Chip maker opens new plant',
            categories: ['technology'],
            publishedAt: hour(3),
            source: 'wire',
          }),
          makeRecord({
            id: 'w1',
            title: 'Summit ends with a climate pledge',
            categories: ['world'],
            publishedAt: hour(2),
            source: 'tabloid',
            sourceTitle: 'The Tabloid',
            imageUrl: 'https://img.example.org/w.jpg',
          }),
          makeRecord({
            id: 'old',
            title: 'Archive: the first quantum router',
            categories: ['technology'],
            publishedAt: '2026-10-01T00:00:00.000Z',
            source: 'wire',
          }),
        ],
        new Date(hour(5)),
      );
      const clock = createFixedClock(hour(6));
      const deps = {
        editions: store.editions,
        articles: store.articles,
        audit: store.audit,
        clock,
        newsletters: config.newsletters,
        categories: config.categories,
      };
      const build = (at: string) =>
        buildEdition(newsletter, new Date(at), {
          articles: store.articles,
          editions: store.editions,
          logger: createSilentLogger(),
          clock,
        });
      return { store, curator: new EditionCurator(deps, 'alice'), build };
    }

    it('adds an article the cap left out and one found by search; both are audit-logged by name', async () => {
      const { store, curator, build } = await setup();
      const edition = await build(hour(6));
      expect(edition.articles.map((a) => a.articleId).sort()).toEqual(['s1', 't1', 'w1']);
      expect((await curator.listAddable(edition.id)).map((a) => a.id)).toEqual(['s2']);
      await curator.add(edition.id, 's2');
      const found = await curator.search('quantum rout');
      expect(found.map((a) => a.id)).toEqual(['old']);
      expect(await curator.search('") OR NEAR(')).toEqual([]); // FTS syntax from the input never reaches the engine
      const after = await curator.add(edition.id, 'old');
      expect(curatedArticles(after, newsletter.categories).map((a) => a.articleId)).toEqual([
        's1',
        's2',
        't1',
        'old',
        'w1',
      ]);
      await expect(curator.add(edition.id, 's2')).rejects.toThrow(/already in edition/);
      const log = await store.audit.list({ editionId: edition.id });
      expect(log.map((e) => [e.actor, e.action, e.details.articleId])).toEqual([
        ['alice', 'add', 'old'],
        ['alice', 'add', 's2'],
      ]);
    });

    it('since-last: the left-out list follows the builder (first seen since the previous edition counts), not only the published date', async () => {
      const { store } = await setup();
      const sinceLast = { ...newsletter, id: 'since', window: 'since-last' as const };
      const clock = createFixedClock('2026-11-29T07:00:00Z');
      const curatorOf = new EditionCurator(
        {
          editions: store.editions,
          articles: store.articles,
          audit: store.audit,
          clock,
          newsletters: [sinceLast],
          categories: config.categories,
        },
        'alice',
      );
      const build = (at: string) =>
        buildEdition(sinceLast, new Date(at), {
          articles: store.articles,
          editions: store.editions,
          logger: createSilentLogger(),
          clock,
        });
      const first = await build('2026-11-28T06:00:00Z');
      // It went out: the next since-last window starts there (a draft never sent would not end a window).
      expect(
        await store.editions.setStatus(first.id, 'sent', { at: new Date('2026-11-28T06:01:00Z'), from: ['draft'] }),
      ).toBe(true);
      // A slow feed delivers two stories dated before that edition, after it was built: the next edition may take one (perCategory 1).
      await store.articles.saveArticles(
        [
          makeRecord({
            id: 'late-a',
            title: 'Harbour reopens after the storm',
            categories: ['world'],
            publishedAt: '2026-11-28T05:00:00.000Z',
            source: 'wire',
          }),
          makeRecord({
            id: 'late-b',
            title: 'Rail strike called off',
            categories: ['world'],
            publishedAt: '2026-11-28T04:00:00.000Z',
            source: 'wire',
          }),
        ],
        new Date('2026-11-28T09:00:00Z'),
      );
      const next = await build('2026-11-29T06:00:00Z');
      expect(next.articles.map((a) => a.articleId)).toEqual(['late-a']);
      expect((await curatorOf.listAddable(next.id)).map((a) => a.id)).toEqual(['late-b']);
    });

    it("recategorizes: the editor's label is stored with origin 'editor', survives a re-ingest and trains the classifier", async () => {
      const { store, curator, build } = await setup();
      const edition = await build(hour(6));
      const moved = await curator.recategorize(edition.id, 't1', 'world');
      expect(moved.articles.find((a) => a.articleId === 't1')!.category).toBe('world');
      const stored = await store.articles.getArticle('t1');
      expect([stored!.categories, stored!.categoryOrigin]).toEqual([['world'], 'editor']);
      // The same source sends it again with its own label: the editor's stays.
      await store.articles.saveArticles(
        [
          {
            ...makeRecord({
              id: 't1',
              categories: ['technology'],
              source: 'wire',
              title: 'Chip maker opens new plant (updated)',
            }),
          },
        ],
        new Date(hour(7)),
      );
      expect((await store.articles.getArticle('t1'))!.categories).toEqual(['world']);
      const training = await store.articles.listTrainingExamples();
      expect(training.find((e) => e.id === 't1')!.categories).toEqual(['world']);
      await expect(curator.recategorize(edition.id, 't1', 'sport')).rejects.toThrow(/not a section of daily/);
    });

    it('blocks an article and a whole source: out of this edition now and of the next edition', async () => {
      const { store, curator, build } = await setup();
      const edition = await build(hour(6));
      const blocked = await curator.block(edition.id, 'w1', 'source');
      expect(blocked.articles.find((a) => a.articleId === 'w1')!.excluded).toBe(true);
      await curator.block(edition.id, 't1', 'article');
      await store.articles.saveArticles(
        [
          makeRecord({ id: 'w2', categories: ['world'], publishedAt: hour(8), source: 'tabloid' }),
          makeRecord({ id: 'w3', categories: ['world'], publishedAt: hour(8), source: 'wire' }),
        ],
        new Date(hour(8)),
      );
      const next = await build(hour(9));
      const ids = next.articles.map((a) => a.articleId);
      expect(ids).toContain('w3');
      expect(ids).not.toContain('w2'); // tabloid is blocked
      expect(ids).not.toContain('s2'); // tabloid too
      expect(ids).not.toContain('t1'); // blocked article
      expect((await store.editions.listBlocks('daily')).map((b) => `${b.kind}:${b.value}:${b.blockedBy}`)).toEqual([
        'source:tabloid:alice',
        'article:t1:alice',
      ]);
    });

    it('records the approver, withdraws approval, and refuses changes once sending', async () => {
      const { store, curator, build } = await setup();
      const edition = await build(hour(6));
      expect((await curator.approve(edition.id)).approvedBy).toBe('alice');
      const withdrawn = await curator.unapprove(edition.id);
      expect([withdrawn.status, withdrawn.approvedBy, withdrawn.statusReason]).toEqual([
        'draft',
        null,
        'approval withdrawn by alice',
      ]);
      await expect(curator.unapprove(edition.id)).rejects.toThrow(/not approved/);
      await store.editions.setStatus(edition.id, 'sending', { at: new Date(hour(7)) });
      await expect(curator.exclude(edition.id, 's1')).rejects.toThrow(/sending: its content can no longer change/);
    });

    it('top story: the pinned one, else the most recent of the first section; an image only breaks ties', async () => {
      const { curator, build } = await setup();
      const edition = await build(hour(6));
      expect(chooseTopStoryWithRule(curatedArticles(edition, newsletter.categories))).toMatchObject({
        article: { articleId: 's1' },
        rule: 'most recent of the first section',
      });
      const pinned = await curator.pick(edition.id, 'w1', { pinned: true });
      expect(chooseTopStoryWithRule(curatedArticles(pinned, newsletter.categories))).toMatchObject({
        article: { articleId: 'w1' },
        rule: 'pinned',
      });
      // Readers see the source title, not the configuration name.
      expect(pinned.articles.find((a) => a.articleId === 'w1')!.sourceTitle).toBe('The Tabloid');
    });
  });
}

describe('SQLite', () => curationSuite('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => curationSuite('PostgreSQL', postgresStores()));
