import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { StoredArticle } from '../../src/core/stored-article.ts';
import type { Edition, EditionArticle } from '../../src/editions/edition.ts';
import { planDigest } from '../../src/editions/plan-digest.ts';
import { editorSignal, poolScore, selectRankedPool } from '../../src/editions/ranked-pool.ts';
import { capAfterRemoval } from '../../src/editions/reader-caps.ts';
import { makeRecord } from '../helpers/article-records.ts';

const config = parseConfig(
  {
    categories: { a: { title: 'A' }, b: { title: 'B' } },
    newsletters: [
      {
        id: 'news',
        title: 'News',
        categories: ['a', 'b'],
        from: 'n@example.org',
        schedule: '0 7 * * *',
        maxArticles: 3,
        perCategory: 2,
        minArticles: 1,
        cadences: ['daily', 'weekly'],
      },
    ],
  },
  {},
);
const weekly = config.newsletters[1]!;
const SINCE = new Date('2026-12-01T00:00:00Z');
const UNTIL = new Date('2026-12-08T00:00:00Z');
const day = (d: number) => `2026-12-0${d}T06:00:00.000Z`;

function stored(id: string, category: string, published: string): StoredArticle {
  return {
    ...makeRecord({ id, categories: [category], publishedAt: published }),
    firstSeenAt: published,
    updatedAt: published,
  };
}

function sentEdition(id: string, picks: Partial<EditionArticle>[]): Edition {
  return {
    id,
    newsletterId: 'news',
    slot: '2026-12-03T07:00:00+00:00',
    status: 'sent',
    statusReason: null,
    intro: null,
    builtAt: '',
    approvedAt: null,
    approvedBy: null,
    articles: picks.map((p, i) => ({
      ...stored(p.articleId!, p.category!, day(2)),
      articleId: p.articleId!,
      category: p.category!,
      position: i + 1,
      pinned: false,
      excluded: false,
      ...p,
    })) as EditionArticle[],
  };
}

describe('the ranked pool of a longer cadence (issue 26)', () => {
  it('ranks pinned, top and kept stories of the shorter stream first, excluded ones last, then clicks and recency', () => {
    expect(poolScore({ pinned: true, top: false, kept: true, excluded: false, clicks: 0 }, 0)).toBeGreaterThan(
      poolScore({ pinned: false, top: true, kept: true, excluded: false, clicks: 0 }, 1),
    );
    expect(poolScore({ pinned: false, top: false, kept: false, excluded: false, clicks: 15 }, 0)).toBeGreaterThan(
      poolScore(undefined, 1),
    );
    const signal = editorSignal(
      [
        sentEdition('news/2026-12-03T07:00', [
          { articleId: 'kept-old', category: 'a', pinned: true },
          { articleId: 'dropped', category: 'a', excluded: true },
          { articleId: 'b-kept', category: 'b' },
        ]),
      ],
      ['a', 'b'],
    );
    expect(signal.get('kept-old')).toMatchObject({ pinned: true, kept: true, top: true });
    expect(signal.get('dropped')).toMatchObject({ excluded: true, kept: false });
    const stories = [
      stored('fresh-a', 'a', day(7)),
      stored('kept-old', 'a', day(2)),
      stored('dropped', 'a', day(6)),
      stored('b-kept', 'b', day(3)),
      stored('fresh-b', 'b', day(7)),
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => stored(`a${n}`, 'a', day(n))),
    ];
    const pool = selectRankedPool(stories, weekly, new Set(['a7']), signal, { since: SINCE, until: UNTIL });
    // 3 × perCategory per section, 3 × maxArticles in all; positions follow the score.
    expect(pool.filter((p) => p.category === 'a').map((p) => p.articleId)).toEqual([
      'kept-old',
      'fresh-a',
      'a6',
      'a5',
      'a4',
      'a3',
    ]);
    expect(pool.filter((p) => p.category === 'b').map((p) => [p.articleId, p.position])).toEqual([
      ['b-kept', 1],
      ['fresh-b', 2],
    ]);
    expect(pool.map((p) => p.articleId)).not.toContain('dropped');
  });

  it('caps one reader’s share after removal: pinned first, then sections take turns by position', () => {
    const pick = (articleId: string, category: string, position: number, pinned = false) => ({
      articleId,
      category,
      position,
      pinned,
    });
    const articles = [
      pick('p', 'b', 3, true),
      pick('a1', 'a', 1),
      pick('a2', 'a', 2),
      pick('a3', 'a', 3),
      pick('b1', 'b', 1),
    ];
    expect(capAfterRemoval(articles, ['a', 'b'], { maxArticles: 3, perCategory: 2 }).map((a) => a.articleId)).toEqual([
      'p',
      'a1',
      'b1',
    ]);
    expect(
      capAfterRemoval(articles.slice(1), ['a', 'b'], { maxArticles: 9, perCategory: 2 }).map((a) => a.articleId),
    ).toEqual(['a1', 'a2', 'b1']);
  });

  it('planDigest gives a weekly reader the pool’s best they have not received, within the caps', () => {
    const edition = sentEdition(
      'news.weekly/2026-12-07T07:00',
      ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3'].map((id) => ({ articleId: id, category: id[0]! })),
    );
    edition.articles.forEach((a) => {
      a.position = Number(a.articleId[1]);
    });
    const reader = { locale: null, timezone: null, categories: null };
    const fresh = planDigest(edition, weekly, config.categories, reader, new Set(), null);
    const after = planDigest(edition, weekly, config.categories, reader, new Set(['a1', 'b1']), null);
    expect('articleIds' in fresh && fresh.articleIds).toEqual(['a1', 'a2', 'b1']);
    expect('articleIds' in after && after.articleIds).toEqual(['a2', 'a3', 'b2']);
  });
});
