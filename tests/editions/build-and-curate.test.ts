import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { buildEdition } from '../../src/editions/build-edition.ts';
import { EditionCurator } from '../../src/editions/curate-edition.ts';
import { curatedArticles, planDigest } from '../../src/editions/plan-digest.ts';
import type { Store } from '../../src/store/store.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { PG_TEST_URL } from '../helpers/postgres.ts';
import { postgresStores, sqliteStores, useStore, type OpenStore } from '../store/contract/stores.ts';

const config = parseConfig(
  {
    categories: {
      world: { title: 'World' },
      technology: { title: 'Technology' },
      security: { title: 'Security' },
    },
    newsletters: [
      {
        id: 'daily',
        title: 'Daily',
        categories: ['security', 'technology', 'world'],
        window: '24h',
        perCategory: 2,
        maxArticles: 5,
        minArticles: 2,
        from: 'Daily <d@example.org>',
        timezone: 'Europe/Berlin',
      },
    ],
  },
  {},
);
const newsletter = config.newsletters[0]!;

/** Building and curating editions over the store ports, on both stores (the ports' own contracts: tests/store/contract/). */
function editionsSuite(name: string, open: OpenStore): void {
  describe(`editions on a real ${name} store`, () => {
    const current = useStore(open);

    async function seeded() {
      const store = current();
      const hour = (h: number) => new Date(Date.UTC(2026, 10, 28, h)).toISOString();
      await store.articles.saveArticles(
        [
          makeRecord({ id: 's1', categories: ['security'], publishedAt: hour(5) }),
          makeRecord({ id: 's2', categories: ['security', 'technology'], publishedAt: hour(4) }),
          makeRecord({ id: 's3', categories: ['security'], publishedAt: hour(3) }),
          makeRecord({ id: 't1', categories: ['technology'], publishedAt: hour(2) }),
          makeRecord({
            id: 'w1',
            categories: ['world'],
            publishedAt: hour(1),
            imageUrl: 'https://img.example.org/w1.jpg',
          }),
          makeRecord({ id: 'w2', categories: ['world'], publishedAt: hour(0) }),
          makeRecord({ id: 'stale', categories: ['world'], publishedAt: '2026-11-20T00:00:00.000Z' }),
          makeRecord({ id: 'other', categories: ['sport'], publishedAt: hour(5) }),
        ],
        new Date('2026-11-28T06:00:00Z'),
      );
      return store;
    }

    const deps = (store: Store) => ({
      articles: store.articles,
      editions: store.editions,
      logger: createSilentLogger(),
      clock: createFixedClock('2026-11-28T06:00:00Z'),
    });

    it('selects by window and category, newest first, capped per category and overall', async () => {
      const store = await seeded();
      const edition = await buildEdition(newsletter, new Date('2026-11-28T06:00:30Z'), deps(store));
      expect(edition.id).toBe('daily/2026-11-28T07:00');
      // Built when the clock says, whatever slot it is for.
      const tomorrow = await buildEdition(newsletter, new Date('2026-11-29T06:00:00Z'), deps(store));
      expect(tomorrow.builtAt).toBe('2026-11-28T06:00:00.000Z');
      expect(edition.slot).toBe('2026-11-28T07:00:00+01:00');
      expect(edition.status).toBe('draft');
      // perCategory 2 drops s3; categories take turns up to maxArticles 5: s1 t1 w1, then s2 w2.
      // s2 also carries technology but belongs to the first of the newsletter's categories it has.
      expect(curatedArticles(edition, newsletter.categories).map((a) => `${a.category}:${a.articleId}`)).toEqual([
        'security:s1',
        'security:s2',
        'technology:t1',
        'world:w1',
        'world:w2',
      ]);
    });

    it('otherSection: an article no configured category claimed joins that section; without it, no edition carries it', async () => {
      const store = await seeded();
      const at = new Date('2026-11-28T06:00:00Z');
      await store.articles.saveArticles(
        [
          makeRecord({ id: 'unsure', categories: ['sport'], categoryOrigin: 'none', publishedAt: at.toISOString() }),
          makeRecord({ id: 'unlabelled', categories: [], categoryOrigin: 'none', publishedAt: at.toISOString() }),
        ],
        at,
      );
      const plain = await buildEdition(newsletter, at, { ...deps(store), save: false });
      expect(plain.articles.map((a) => a.articleId)).not.toContain('unsure');
      const withOther = { ...newsletter, id: 'other', otherSection: 'world', maxArticles: 10 };
      const edition = await buildEdition(withOther, at, deps(store));
      const sections = curatedArticles(edition, withOther.categories).map((a) => `${a.category}:${a.articleId}`);
      // Newest first within the section, the per-category cap applies as to any section.
      expect(sections.filter((entry) => entry.startsWith('world:'))).toEqual(['world:unlabelled', 'world:unsure']);
      // The fixture's 'other' carries its source's label (origin 'source'): not unsorted, so not taken.
      expect(sections).not.toContain('world:other');
    });

    it('freezes content: building again returns the same edition, later articles do not join', async () => {
      const store = await seeded();
      const at = new Date('2026-11-28T06:00:00Z');
      const first = await buildEdition(newsletter, at, deps(store));
      await store.articles.saveArticles(
        [makeRecord({ id: 'late', categories: ['security'], publishedAt: '2026-11-28T05:59:00.000Z' })],
        at,
      );
      const again = await buildEdition(newsletter, at, deps(store));
      expect(again.articles.map((a) => a.articleId)).toEqual(first.articles.map((a) => a.articleId));
    });

    it('never reuses an article of an earlier edition of the newsletter, and skips a thin edition', async () => {
      const store = await seeded();
      await buildEdition(newsletter, new Date('2026-11-28T06:00:00Z'), deps(store));
      const next = await buildEdition(newsletter, new Date('2026-11-28T06:30:00Z'), deps(store));
      expect(next.articles.map((a) => a.articleId)).toEqual(['s3']);
      expect(next.status).toBe('skipped');
      expect(next.statusReason).toMatch(/thin: 1 article/);
    });

    it('applies picks: pin, exclude, move, overrides, intro; changes after approval need a new approval', async () => {
      const store = await seeded();
      const clock = createFixedClock('2026-11-28T06:10:00Z');
      const edition = await buildEdition(newsletter, new Date('2026-11-28T06:00:00Z'), deps(store));
      const curator = new EditionCurator(
        {
          editions: store.editions,
          articles: store.articles,
          audit: store.audit,
          clock,
          newsletters: config.newsletters,
          categories: config.categories,
        },
        'ed',
      );
      await curator.approve(edition.id);
      await curator.pick(edition.id, 'w1', { pinned: true, titleOverride: 'Editor title' });
      await curator.exclude(edition.id, 's1');
      await curator.move(edition.id, 'w2', 1);
      const curated = await curator.setIntro(edition.id, '  Hello readers.\r\n\r\nSecond paragraph. ');
      expect(curated.status).toBe('draft');
      expect(curated.intro).toBe('Hello readers.\n\nSecond paragraph.');
      expect(curatedArticles(curated, newsletter.categories).map((a) => a.articleId)).toEqual(['w1', 's2', 't1', 'w2']);
      expect(curated.articles.find((a) => a.articleId === 'w1')!.title).toBe('Editor title');
      await curator.pick(edition.id, 's2', { pinned: true });
      const repinned = await curator.load(edition.id);
      expect(repinned.articles.filter((a) => a.pinned).map((a) => a.articleId)).toEqual(['s2']);
      const approved = await curator.approve(edition.id);
      expect([approved.status, approved.approvedBy]).toEqual(['approved', 'ed']);
      await expect(curator.pick(edition.id, 'nope', { pinned: true })).rejects.toThrow(/"nope" is not in edition/);
    });

    it('plans per subscriber: chosen sections only, never seen twice, thin digests skipped, shared segments', async () => {
      const store = await seeded();
      const edition = await buildEdition(newsletter, new Date('2026-11-28T06:00:00Z'), deps(store));
      const all = planDigest(
        edition,
        newsletter,
        config.categories,
        { locale: null, timezone: null, categories: null },
        new Set(),
        null,
      );
      const same = planDigest(
        edition,
        newsletter,
        config.categories,
        { locale: 'en', timezone: 'Europe/Berlin', categories: null },
        new Set(),
        null,
      );
      if ('skip' in all || 'skip' in same) throw new Error('unexpected skip');
      expect(all.segmentKey).toBe(same.segmentKey);
      // Nothing pinned: the most recent of the first section, not the one with an image (w1).
      expect(all.content.topStory!.articleId).toBe('s1');
      expect(all.content.sections.map((s) => s.slug)).toEqual(['security', 'technology', 'world']);

      const securityOnly = planDigest(
        edition,
        newsletter,
        config.categories,
        { locale: null, timezone: null, categories: ['security'] },
        new Set(),
        null,
      );
      if ('skip' in securityOnly) throw new Error('unexpected skip');
      expect(securityOnly.articleIds.sort()).toEqual(['s1', 's2']);
      expect(securityOnly.segmentKey).not.toBe(all.segmentKey);

      // Their one topic has too few new stories: the whole edition, their topic first, never a silent skip.
      const seen = planDigest(
        edition,
        newsletter,
        config.categories,
        { locale: null, timezone: null, categories: ['security'] },
        new Set(['s1']),
        null,
      );
      if ('skip' in seen) throw new Error(`unexpected skip: ${seen.skip}`);
      expect(seen.articleIds).not.toContain('s1');
      expect(seen.articleIds).toEqual(expect.arrayContaining(['s2', 'w1', 'w2']));
      expect(seen.content.topStory!.articleId).toBe('s2');
      expect(seen.content.sections.map((s) => s.slug)).toEqual(['technology', 'world']);
      const chosenWorld = planDigest(
        edition,
        newsletter,
        config.categories,
        { locale: null, timezone: null, categories: ['world'] },
        new Set(['w1']),
        null,
      );
      if ('skip' in chosenWorld) throw new Error(`unexpected skip: ${chosenWorld.skip}`);
      expect(chosenWorld.content.sections.map((s) => s.slug)[0]).toBe('world');
      // Only a reader who already has (nearly) everything is skipped, with a reason that says so.
      const everything = new Set(edition.articles.map((a) => a.articleId));
      expect(
        planDigest(
          edition,
          newsletter,
          config.categories,
          { locale: null, timezone: null, categories: null },
          everything,
          null,
        ),
      ).toEqual({
        skip: 'already received every article of this edition',
      });
      const allButOne = new Set([...everything].slice(1));
      expect(
        planDigest(
          edition,
          newsletter,
          config.categories,
          { locale: null, timezone: null, categories: ['security'] },
          allButOne,
          null,
        ),
      ).toEqual({
        skip: expect.stringMatching(/^thin: 1 new article\(s\) for this reader/),
      });
    });

    it('freezes each article language into the edition; readers get their languages first (only them with strict), section titles in their locale', async () => {
      const store = current();
      const hour = (h: number) => new Date(Date.UTC(2026, 10, 28, h)).toISOString();
      await store.articles.saveArticles(
        [
          makeRecord({ id: 'en1', categories: ['world'], publishedAt: hour(5) }),
          makeRecord({ id: 'en2', categories: ['technology'], publishedAt: hour(4), language: 'en-GB' }),
          makeRecord({ id: 'ru1', categories: ['world'], publishedAt: hour(3), language: 'ru' }),
          makeRecord({ id: 'ru2', categories: ['technology'], publishedAt: hour(2), language: 'ru-RU' }),
          makeRecord({ id: 'xx1', categories: ['security'], publishedAt: hour(1), language: null }),
        ],
        new Date('2026-11-28T06:00:00Z'),
      );
      const localized = {
        ...config.categories,
        world: { ...config.categories.world!, titles: { ru: 'Мир', 'de-CH': 'Welt (CH)' } },
        technology: { ...config.categories.technology!, titles: { de: 'Technik' } },
      };
      const built = await buildEdition(newsletter, new Date('2026-11-28T06:00:00Z'), deps(store));
      // Read back from the store: the language is part of the frozen snapshot.
      const edition = (await store.editions.getEdition(built.id))!;
      expect(Object.fromEntries(edition.articles.map((a) => [a.articleId, a.language]))).toEqual({
        en1: 'en',
        en2: 'en-GB',
        ru1: 'ru',
        ru2: 'ru-RU',
        xx1: null,
      });
      const plan = (locale: string, languages: 'any' | 'subscriber' | 'strict' = 'subscriber') => {
        const result = planDigest(
          edition,
          { ...newsletter, languages },
          localized,
          { locale, timezone: null, categories: null },
          new Set(),
          null,
        );
        if ('skip' in result) throw new Error(result.skip);
        return result;
      };
      const ids = (result: ReturnType<typeof plan>) => [...result.articleIds].sort();
      expect(ids(plan('ru', 'strict'))).toEqual(['ru1', 'ru2', 'xx1']);
      expect(ids(plan('en-US', 'strict'))).toEqual(['en1', 'en2', 'xx1']);
      // The default ranks: every article, the reader's languages first in each section.
      const russian = plan('ru');
      expect(ids(russian)).toEqual(['en1', 'en2', 'ru1', 'ru2', 'xx1']);
      expect(russian.content.sections.map((s) => [s.slug, s.articles.map((a) => a.articleId)])).toEqual([
        ['technology', ['ru2', 'en2']],
        ['world', ['ru1', 'en1']],
      ]);
      expect(
        plan('en')
          .content.sections.find((s) => s.slug === 'world')!
          .articles.map((a) => a.articleId),
      ).toEqual(['en1', 'ru1']);
      expect(ids(plan('en', 'any'))).toEqual(['en1', 'en2', 'ru1', 'ru2', 'xx1']);
      expect(plan('ru').segmentKey).not.toBe(plan('en').segmentKey);
      const titles = (locale: string) =>
        Object.fromEntries(plan(locale, 'any').content.sections.map((s) => [s.slug, s.title]));
      expect(titles('ru')).toEqual({ world: 'Мир', technology: 'Technology' }); // security's one article is the top story
      expect(titles('de-CH')).toMatchObject({ world: 'Welt (CH)', technology: 'Technik' });
      expect(titles('de')).toMatchObject({ world: 'World', technology: 'Technik' });
      // A Russian reader of a newsletter with too few Russian articles gets a thin skip.
      const thin = planDigest(
        edition,
        { ...newsletter, minArticles: 4, languages: 'strict' },
        localized,
        { locale: 'ru', timezone: null, categories: null },
        new Set(),
        null,
      );
      expect(thin).toEqual({ skip: expect.stringMatching(/^thin: 3 new article\(s\) for this reader/) });
      expect(
        'skip' in
          planDigest(
            edition,
            { ...newsletter, minArticles: 4 },
            localized,
            { locale: 'ru', timezone: null, categories: null },
            new Set(),
            null,
          ),
      ).toBe(false);
      const japanese = planDigest(
        edition,
        { ...newsletter, minArticles: 1, languages: 'strict' },
        localized,
        { locale: 'ja', timezone: null, categories: null, languages: ['ja'] },
        new Set(['xx1']),
        null,
      );
      expect(japanese).toEqual({ skip: 'no article in their languages (ja; languages: strict)' });
    });

    it('since-last: draws from the previous edition on; a skipped (thin) edition neither ends the window nor uses up its articles', async () => {
      const store = current();
      const sinceLast = {
        ...newsletter,
        window: 'since-last' as const,
        minArticles: 3,
        perCategory: 9,
        maxArticles: 20,
      };
      const save = (ids: string[], publishedAt: string) =>
        store.articles.saveArticles(
          ids.map((id) => makeRecord({ id, categories: ['security'], publishedAt })),
          new Date(publishedAt),
        );
      await save(['old1', 'old2', 'old3'], '2026-11-20T05:00:00.000Z');
      const first = await buildEdition(sinceLast, new Date('2026-11-26T06:00:00Z'), deps(store));
      // No earlier edition: everything up to the slot.
      expect(first.articles.map((a) => a.articleId).sort()).toEqual(['old1', 'old2', 'old3']);

      await save(['mon1', 'mon2'], '2026-11-26T12:00:00.000Z');
      const thin = await buildEdition(sinceLast, new Date('2026-11-27T06:00:00Z'), deps(store));
      expect(thin.status).toBe('skipped');
      expect(thin.articles.map((a) => a.articleId).sort()).toEqual(['mon1', 'mon2']);

      await save(['tue1'], '2026-11-27T12:00:00.000Z');
      const next = await buildEdition(sinceLast, new Date('2026-11-28T06:00:00Z'), deps(store));
      // Since the first (sent) edition: Monday's two wait for this one, and the old ones are not repeated.
      expect(next.status).toBe('draft');
      expect(next.articles.map((a) => a.articleId).sort()).toEqual(['mon1', 'mon2', 'tue1']);
      // Built again, it is the same frozen edition even though more articles arrived.
      await save(['wed1'], '2026-11-28T05:30:00.000Z');
      const again = await buildEdition(sinceLast, new Date('2026-11-28T06:00:40Z'), deps(store));
      expect(again.id).toBe(next.id);
      expect(again.articles.map((a) => a.articleId).sort()).toEqual(['mon1', 'mon2', 'tue1']);
    });

    it('since-last: starts after the last edition that went out; a draft still undecided keeps its stories, and they return to the pool when it is skipped', async () => {
      const store = current();
      const sinceLast = {
        ...newsletter,
        window: 'since-last' as const,
        minArticles: 1,
        perCategory: 9,
        maxArticles: 20,
      };
      const save = (ids: string[], publishedAt: string) =>
        store.articles.saveArticles(
          ids.map((id) => makeRecord({ id, categories: ['world'], publishedAt })),
          new Date(publishedAt),
        );
      const ids = (edition: { articles: { articleId: string }[] }) => edition.articles.map((a) => a.articleId).sort();
      const at = new Date('2026-11-28T06:00:00Z');
      await save(['a1'], '2026-11-25T05:00:00.000Z');
      const sent = await buildEdition(sinceLast, new Date('2026-11-26T06:00:00Z'), deps(store));
      await store.editions.setStatus(sent.id, 'sent', { at });
      await save(['b1', 'b2'], '2026-11-26T12:00:00.000Z');
      // A draft built ahead for a later slot (an editor's `edition build --at`), then a story that comes before its slot.
      const draft = await buildEdition(sinceLast, new Date('2026-11-27T09:00:00Z'), deps(store));
      expect(ids(draft)).toEqual(['b1', 'b2']);
      await save(['c1'], '2026-11-26T20:00:00.000Z');
      // The next edition reaches back to the sent one, not to the undecided draft: c1 is not lost; b1 and b2 stay the draft's.
      const next = await buildEdition(sinceLast, new Date('2026-11-28T06:00:00Z'), deps(store));
      expect(ids(next)).toEqual(['c1']);
      await store.editions.setStatus(next.id, 'sent', { at });
      // The draft is skipped after `next` was built: its stories go to the edition after, although they predate its window.
      await store.editions.setStatus(draft.id, 'skipped', { at, reason: 'superseded' });
      await save(['d1'], '2026-11-28T12:00:00.000Z');
      const after = await buildEdition(sinceLast, new Date('2026-11-29T06:00:00Z'), deps(store));
      expect(ids(after)).toEqual(['b1', 'b2', 'd1']);
    });

    it('since-last: a story published before the previous edition but ingested after it goes in the next one', async () => {
      const store = current();
      const sinceLast = {
        ...newsletter,
        window: 'since-last' as const,
        minArticles: 1,
        perCategory: 9,
        maxArticles: 20,
      };
      await store.articles.saveArticles(
        [makeRecord({ id: 'early', categories: ['world'], publishedAt: '2026-11-26T05:00:00.000Z' })],
        new Date('2026-11-26T05:00:00Z'),
      );
      await buildEdition(sinceLast, new Date('2026-11-27T06:00:00Z'), deps(store));
      // A slow feed delivers a story dated before that edition, two hours after it was built.
      await store.articles.saveArticles(
        [makeRecord({ id: 'late-feed', categories: ['world'], publishedAt: '2026-11-27T05:00:00.000Z' })],
        new Date('2026-11-27T08:00:00Z'),
      );
      const next = await buildEdition(sinceLast, new Date('2026-11-28T06:00:00Z'), deps(store));
      expect(next.articles.map((a) => a.articleId)).toEqual(['late-feed']);
      // A fixed window stays strict about publication time.
      const daily = await buildEdition(
        { ...newsletter, id: 'strict', window: '24h', minArticles: 0 },
        new Date('2026-11-28T06:00:00Z'),
        deps(store),
      );
      expect(daily.articles.map((a) => a.articleId)).toEqual([]);
    });
  });
}

describe('SQLite', () => editionsSuite('SQLite', sqliteStores()));
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => editionsSuite('PostgreSQL', postgresStores()));
