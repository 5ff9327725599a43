import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreBackedEnricher } from '../../src/content/article-enricher.ts';
import { categorySchema, classifierSchema, summarySchema } from '../../src/config/schema.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const at = new Date('2026-12-01T06:00:00Z');
const SPORT = [
  'The striker scored twice as the team won the league match.',
  'The goalkeeper saved a penalty in the cup final at the stadium.',
  'The coach praised the fans after the derby win.',
];
const MARKETS = [
  'Shares fell as investors worried about interest rates.',
  'The bank raised its profit forecast and paid a dividend.',
  'Bond yields rose as inflation climbed again.',
];
const category = categorySchema.parse({ title: 'x' });

/** The enricher's self-training pool, filled from a real SQLite store and from each batch. */
describe('StoreBackedEnricher: unlabelled articles for self-training', () => {
  const tempDir = useTempDir();
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  async function storeWith(uncategorized: number) {
    const store = openSqliteStore(path.join(tempDir(), 't.db'));
    close = () => store.close();
    const labelled = [
      ...SPORT.map((text, i) => makeRecord({ title: `Sport ${i}`, text, categories: ['sport'] })),
      ...MARKETS.map((text, i) => makeRecord({ title: `Markets ${i}`, text, categories: ['business'] })),
    ];
    const pool = Array.from({ length: uncategorized }, (_, i) =>
      makeRecord({
        title: `Match day ${i}`,
        text: `The team played match ${i} of the league season.`,
        categories: [],
        categoryOrigin: 'none',
      }),
    );
    await store.articles.saveArticles([...labelled, ...pool], at);
    return store;
  }

  function enricher(
    store: Awaited<ReturnType<typeof storeWith>>,
    maxUnlabelled?: number,
    options: Record<string, number> = {},
  ) {
    return new StoreBackedEnricher({
      articles: store.articles,
      categories: { sport: category, business: category },
      summaries: summarySchema.parse({}),
      classifier: classifierSchema.parse(maxUnlabelled === undefined ? options : { maxUnlabelled, ...options }),
      logger: createSilentLogger(),
    });
  }

  it('pools the stored articles without a category, then each batch to classify, once each', async () => {
    const store = await storeWith(4);
    const e = enricher(store);
    expect((await e.model())!.unlabelledCount).toBe(4);
    const batch = [
      makeRecord({
        title: 'Late goal wins it',
        text: 'The striker scored a late goal to win the match.',
        categories: [],
        categoryOrigin: 'none',
      }),
    ];
    const [out] = await e.enrich(batch);
    expect(out).toMatchObject({ categories: ['sport'], categoryOrigin: 'classifier' });
    expect((await e.model())!.unlabelledCount).toBe(5);
    await e.enrich(batch); // the same article again is not pooled twice
    expect((await e.model())!.unlabelledCount).toBe(5);
  });

  it('keeps at most classifier.maxUnlabelled, and none with 0', async () => {
    const store = await storeWith(5);
    expect((await enricher(store, 3).model())!.unlabelledCount).toBe(3);
    expect((await enricher(store, 0).model())!.unlabelledCount).toBe(0);
  });

  it('defaults to a bound of 1000 in the configuration', () => {
    expect(classifierSchema.parse({}).maxUnlabelled).toBe(1000);
  });

  it('labels the surest classifier.labelShare of its pool even below minConfidence, none with 0', async () => {
    const batch = () => [
      makeRecord({
        title: 'Late goal wins it',
        text: 'The striker scored a late goal to win the match.',
        categories: [],
        categoryOrigin: 'none',
      }),
    ];
    // No probability reaches 1: minConfidence alone labels nothing.
    const store = await storeWith(4);
    const [alone] = await enricher(store, undefined, { minConfidence: 1, labelShare: 0 }).enrich(batch());
    expect(alone).toMatchObject({ categories: [], categoryOrigin: 'none' });
    // A pool of 5 (under 50) has no least sure 2%: every article in it is labelled.
    const byShare = enricher(store, undefined, { minConfidence: 1 });
    const [labelled] = await byShare.enrich(batch());
    expect(labelled).toMatchObject({ categories: ['sport'], categoryOrigin: 'classifier' });
    expect((await byShare.model())!.labelShare).toBe(0.98);
    // Without a pool there is no share to label: minConfidence alone decides.
    const [unpooled] = await enricher(store, 0, { minConfidence: 1 }).enrich(batch());
    expect(unpooled).toMatchObject({ categories: [], categoryOrigin: 'none' });
  });
});
