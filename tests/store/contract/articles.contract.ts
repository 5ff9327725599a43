import { describe, expect, it } from 'vitest';
import { contentHashFor } from '../../../src/ingest/normalize-article.ts';
import { makeRecord } from '../../helpers/article-records.ts';
import { useStore, type OpenStore } from './stores.ts';

const at = new Date('2026-11-28T06:00:00Z');

/** The articles port (src/store/article-store.ts): what every implementation must do. */
export function articleStoreContract(name: string, open: OpenStore): void {
  describe(`${name}: articles`, () => {
    const store = useStore(open);

    it('upserts: new, then unchanged, then updated with a new content hash', async () => {
      const { articles } = store();
      const record = makeRecord();
      expect((await articles.saveArticles([record], at)).new).toBe(1);
      expect((await articles.saveArticles([record], at)).unchanged).toBe(1);
      const changed = {
        ...record,
        title: 'A better title',
        contentHash: contentHashFor('A better title', record.text),
      };
      const report = await articles.saveArticles([changed], new Date('2026-11-28T07:00:00Z'));
      expect(report).toMatchObject({ updated: 1, outcomes: [{ id: record.id, outcome: 'updated' }] });
      const stored = await articles.getArticle(record.id);
      expect(stored).toEqual({ ...changed, firstSeenAt: at.toISOString(), updatedAt: '2026-11-28T07:00:00.000Z' });
      expect(await articles.getArticle('nope')).toBeNull();
    });

    it('finds ids by prefix, taking % and _ literally, sorted and limited', async () => {
      const { articles } = store();
      const ids = ['ab12-one', 'ab12-two', 'ab_3', 'abc%'];
      await articles.saveArticles(
        ids.map((id) => makeRecord({ id, url: `https://example.org/${encodeURIComponent(id)}` })),
        at,
      );
      expect(await articles.findArticleIdsByPrefix('ab12', 5)).toEqual(['ab12-one', 'ab12-two']);
      expect(await articles.findArticleIdsByPrefix('ab12', 1)).toEqual(['ab12-one']);
      expect(await articles.findArticleIdsByPrefix('ab_', 5)).toEqual(['ab_3']);
      expect(await articles.findArticleIdsByPrefix('abc%', 5)).toEqual(['abc%']);
      expect(await articles.findArticleIdsByPrefix('zz', 5)).toEqual([]);
    });

    it('round-trips every field exactly, nulls and unicode included', async () => {
      const record = makeRecord({
        title: 'Ünïcødé — “quotes” & <tags> 🦉',
        text: 'Line one.\nLine two with\ttab and émoji 🦉.',
        url: null,
        summary: null,
        publishedAt: null,
        author: 'Zoë',
        imageUrl: 'https://img.example.org/a.jpg',
        language: 'de-at',
        description: 'A description.',
        categories: ['technology', 'unknown-label'],
      });
      await store().articles.saveArticles([record], at);
      expect(await store().articles.getArticle(record.id)).toEqual({
        ...record,
        firstSeenAt: at.toISOString(),
        updatedAt: at.toISOString(),
      });
    });

    it('treats the same content under another URL as a duplicate', async () => {
      const { articles } = store();
      const first = makeRecord({ title: 'Same', text: 'Same words.' });
      const copy = makeRecord({ title: 'Same', text: 'Same words.', url: 'https://mirror.example.net/copy' });
      await articles.saveArticles([first], at);
      expect((await articles.saveArticles([copy], at)).duplicate).toBe(1);
      expect(await articles.listArticles()).toHaveLength(1);
    });

    it('keeps the first source when another source brings the same canonical URL', async () => {
      const { articles } = store();
      const first = makeRecord({ id: 'same-url', source: 'wire', categories: ['security'] });
      const other = makeRecord({
        id: 'same-url',
        source: 'aggregator',
        text: 'Shorter.',
        categories: [],
        categoryOrigin: 'none',
      });
      await articles.saveArticles([first], at);
      expect(await articles.saveArticles([other], at)).toMatchObject({ duplicate: 1, updated: 0 });
      expect(await articles.getArticle('same-url')).toMatchObject({
        source: 'wire',
        categories: ['security'],
        text: first.text,
      });
    });

    it('two saves of one story at once: one is new, the other finds it (no error, one row)', async () => {
      const { articles } = store();
      const record = makeRecord({ id: 'race' });
      const reports = await Promise.all([articles.saveArticles([record], at), articles.saveArticles([record], at)]);
      expect(reports.map((r) => r.outcomes[0]!.outcome).sort()).toEqual(['new', 'unchanged']);
      expect((await articles.listArticles()).map((a) => a.id)).toEqual(['race']);
    });

    it('saves a source all or nothing', async () => {
      const { articles } = store();
      const bad = makeRecord({ title: null as unknown as string });
      await expect(articles.saveArticles([makeRecord(), bad], at)).rejects.toMatchObject({
        code: 'STORE_FAILED',
        message: /NOT NULL|not-null/,
      });
      expect(await articles.listArticles()).toHaveLength(0);
    });

    it('lists by category, time, ids and uncategorized, newest first (published, else first seen)', async () => {
      const { articles } = store();
      await articles.saveArticles(
        [
          makeRecord({ id: 'old', publishedAt: '2026-11-20T00:00:00.000Z', categories: ['security'] }),
          makeRecord({ id: 'new', publishedAt: '2026-11-27T00:00:00.000Z', categories: ['security', 'technology'] }),
          makeRecord({ id: 'none', publishedAt: null, categories: ['gardening'], categoryOrigin: 'none' }),
        ],
        at,
      );
      const ids = async (query: Parameters<typeof articles.listArticles>[0]) =>
        (await articles.listArticles(query)).map((a) => a.id);
      expect(await ids({})).toEqual(['none', 'new', 'old']);
      expect(await ids({ category: 'security' })).toEqual(['new', 'old']);
      expect(await ids({ since: new Date('2026-11-25T00:00:00Z') })).toEqual(['none', 'new']);
      expect(await ids({ until: new Date('2026-11-28T00:00:00Z') })).toEqual(['new', 'old']);
      expect(await ids({ uncategorized: true })).toEqual(['none']);
      expect(await ids({ ids: ['old', 'none', 'missing'] })).toEqual(['none', 'old']);
      expect(await ids({ ids: [] })).toEqual([]);
      expect(await ids({ limit: 2 })).toEqual(['none', 'new']);
    });

    it('with orSeenSince, also lists old stories first seen recently', async () => {
      const { articles } = store();
      await articles.saveArticles(
        [makeRecord({ id: 'late', publishedAt: '2026-11-01T00:00:00.000Z' })],
        new Date('2026-11-28T05:00:00Z'),
      );
      await articles.saveArticles(
        [makeRecord({ id: 'stale', publishedAt: '2026-11-01T00:00:00.000Z' })],
        new Date('2026-11-10T00:00:00Z'),
      );
      const since = new Date('2026-11-27T00:00:00Z');
      expect((await articles.listArticles({ since })).map((a) => a.id)).toEqual([]);
      expect(
        (await articles.listArticles({ since, orSeenSince: new Date('2026-11-28T00:00:00Z') })).map((a) => a.id),
      ).toEqual(['late']);
    });

    it('orders ties by id, byte by byte', async () => {
      const { articles } = store();
      const same = '2026-11-27T08:00:00.000Z';
      await articles.saveArticles(
        ['b', 'B', 'a-2', 'a1', 'é'].map((id) => makeRecord({ id, publishedAt: same })),
        at,
      );
      expect((await articles.listArticles()).map((a) => a.id)).toEqual(['B', 'a-2', 'a1', 'b', 'é']);
    });

    it('keeps classifier labels until the source gives a category, and trains only on source labels', async () => {
      const { articles } = store();
      const record = makeRecord({ id: 'c', categories: [], categoryOrigin: 'none' });
      await articles.saveArticles([record, makeRecord({ id: 'labelled' })], at);
      await articles.setClassifiedCategories([{ id: 'c', categories: ['security'], origin: 'classifier' }], at);
      // A source label is never overwritten by the classifier.
      await articles.setClassifiedCategories([{ id: 'labelled', categories: ['world'], origin: 'classifier' }], at);
      expect((await articles.saveArticles([record], at)).unchanged).toBe(1);
      expect(await articles.getArticle('c')).toMatchObject({ categories: ['security'], categoryOrigin: 'classifier' });
      expect((await articles.getArticle('labelled'))!.categories).toEqual(['technology']);
      expect((await articles.listTrainingExamples()).map((e) => [e.id, e.categories])).toEqual([
        ['labelled', ['technology']],
      ]);
      expect((await articles.listArticles({ category: 'security' })).map((a) => a.id)).toEqual(['c']);
    });

    it("keeps an editor's label over later ingests and trains on it", async () => {
      const { articles } = store();
      await articles.saveArticles([makeRecord({ id: 't1', categories: ['technology', 'chips'] })], at);
      const labelled = await articles.setEditorCategory(
        't1',
        'world',
        ['technology', 'world', 'security'],
        new Date('2026-11-28T06:30:00Z'),
      );
      expect(labelled).toMatchObject({
        categories: ['world', 'chips'],
        categoryOrigin: 'editor',
        updatedAt: '2026-11-28T06:30:00.000Z',
      });
      expect(await articles.setEditorCategory('missing', 'world', [], at)).toBeNull();
      const again = makeRecord({ id: 't1', categories: ['technology'], title: 'Updated title' });
      expect((await articles.saveArticles([again], new Date('2026-11-28T07:00:00Z'))).updated).toBe(1);
      expect(await articles.getArticle('t1')).toMatchObject({
        title: 'Updated title',
        categories: ['world', 'chips'],
        categoryOrigin: 'editor',
      });
      expect((await articles.listArticles({ category: 'world' })).map((a) => a.id)).toEqual(['t1']);
      expect(await articles.listArticles({ category: 'technology' })).toEqual([]);
      expect((await articles.listTrainingExamples()).map((e) => e.categories)).toEqual([['world', 'chips']]);
    });

    it('searches titles and text by word prefixes, all words required, title matches first', async () => {
      const { articles } = store();
      await articles.saveArticles(
        [
          makeRecord({
            id: 'in-text',
            title: 'Networking news',
            text: 'A story about the first quantum router in a lab.',
          }),
          makeRecord({ id: 'in-title', title: 'Archive: the first quantum router', text: 'Researchers built it.' }),
          makeRecord({ id: 'one-word', title: 'Quantum physics', text: 'Nothing about networks.' }),
        ],
        at,
      );
      expect((await articles.searchArticles('quantum rout', 10)).map((a) => a.id)).toEqual(['in-title', 'in-text']);
      expect((await articles.searchArticles('QUANTUM', 10)).map((a) => a.id).sort()).toEqual([
        'in-text',
        'in-title',
        'one-word',
      ]);
      expect(await articles.searchArticles('quantum', 1)).toHaveLength(1);
      expect(await articles.searchArticles('photosynthesis', 10)).toEqual([]);
    });

    it('searches whatever the case in Latin, Greek and Cyrillic script, and whatever the accents in Latin script', async () => {
      const { articles } = store();
      await articles.saveArticles(
        [
          makeRecord({ id: 'fr', title: 'Le Café de la Gare ferme', text: 'Après trente ans.' }),
          makeRecord({ id: 'de', title: 'ÜBERSCHWEMMUNG in Köln', text: 'Straßen gesperrt.' }),
          makeRecord({ id: 'ru', title: 'Ёлка на Главной площади', text: 'Праздник.' }),
          makeRecord({ id: 'el', title: 'Ψηφοφορία στην Αθήνα', text: 'Εκλογές.' }),
          makeRecord({ id: 'tr', title: 'İstanbul trafiği', text: 'Köprü kapalı.' }),
        ],
        at,
      );
      const found = async (query: string) => (await articles.searchArticles(query, 10)).map((a) => a.id);
      expect(await found('cafe')).toEqual(['fr']);
      expect(await found('CAFÉ gare')).toEqual(['fr']);
      expect(await found('apres')).toEqual(['fr']);
      expect(await found('überschwemmung koln')).toEqual(['de']);
      expect(await found('uberschw')).toEqual(['de']);
      expect(await found('ёлка главной')).toEqual(['ru']);
      expect(await found('ЁЛКА')).toEqual(['ru']);
      expect(await found('ΑΘΉΝΑ')).toEqual(['el']);
      expect(await found('İSTANBUL')).toEqual(['tr']);
      expect(await found('istanbul kopru')).toEqual(['tr']);
      // Outside Latin script accents are letters of their own (SQLite's remove_diacritics is Latin-only).
      expect(await found('елка')).toEqual([]);
      expect(await found('αθηνα')).toEqual([]);
    });

    it('never lets search syntax from the input reach the engine', async () => {
      const { articles } = store();
      await articles.saveArticles([makeRecord({ id: 'x', title: 'Router flaw', text: 'Patch it.' })], at);
      for (const hostile of ['") OR NEAR(', "' OR 1=1 --", '!&|:*()', '', '   ', 'router) | (!flaw']) {
        const found = await articles.searchArticles(hostile, 10);
        expect(found.every((a) => a.id === 'x')).toBe(true);
      }
      expect((await articles.searchArticles('router) | (!flaw', 10)).map((a) => a.id)).toEqual(['x']);
    });

    it('caches summaries per content hash and version; a second put replaces', async () => {
      const { articles } = store();
      await articles.putCachedSummary('h1', 'v1', 'A summary.');
      expect(await articles.getCachedSummary('h1', 'v1')).toBe('A summary.');
      expect(await articles.getCachedSummary('h1', 'v2')).toBeNull();
      await articles.putCachedSummary('h1', 'v1', 'Better.');
      expect(await articles.getCachedSummary('h1', 'v1')).toBe('Better.');
    });
  });
}
