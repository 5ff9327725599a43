import { describe, expect, it } from 'vitest';
import type { EditionArticle } from '../../../src/editions/edition.ts';
import type { NewEdition } from '../../../src/editions/edition-store.ts';
import { useStore, type OpenStore } from './stores.ts';

const builtAt = new Date('2026-11-28T06:00:00Z');

function article(
  articleId: string,
  category: string,
  position: number,
  extra: Partial<EditionArticle> = {},
): NewEdition['articles'][number] {
  return {
    articleId,
    category,
    position,
    title: `Title ${articleId}`,
    summary: `Summary ${articleId}.`,
    url: `https://news.example.org/${articleId}`,
    source: 'wire',
    sourceTitle: 'Wire',
    author: null,
    imageUrl: null,
    publishedAt: '2026-11-28T05:00:00.000Z',
    language: 'en',
    ...extra,
  };
}

function edition(slotUtc: string, articles: NewEdition['articles'], newsletterId = 'daily'): NewEdition {
  const slot = slotUtc.replace(/:00\.000Z$/, '').replace(/Z$/, '');
  return {
    id: `${newsletterId}/${slot.slice(0, 16)}`,
    newsletterId,
    slot: `${slotUtc.slice(0, 19)}+00:00`,
    slotUtc,
    status: 'draft',
    statusReason: null,
    articles,
  };
}

/** The editions port (src/editions/edition-store.ts): frozen content, picks, blocks, status locks. */
export function editionStoreContract(name: string, open: OpenStore): void {
  describe(`${name}: editions`, () => {
    const store = useStore(open);

    it('freezes an edition once: a second create returns the stored one unchanged', async () => {
      const { editions } = store();
      const first = edition('2026-11-28T07:00:00.000Z', [
        article('s1', 'security', 1, { alsoIn: [{ articleId: 's1b', source: 'other', url: null }] }),
        article('t1', 'technology', 1, { title: 'Ünïcødé “title” 🦉', summary: null, language: null }),
      ]);
      const created = await editions.createEdition(first, builtAt);
      expect(created).toMatchObject({
        id: first.id,
        newsletterId: 'daily',
        slot: first.slot,
        status: 'draft',
        statusReason: null,
        intro: null,
        builtAt: builtAt.toISOString(),
        approvedAt: null,
        approvedBy: null,
      });
      // Editions built before summaries recorded their engine read as extractive.
      expect(created.articles).toEqual([
        { summaryEngine: 'extractive', ...first.articles[0], pinned: false, excluded: false },
        { summaryEngine: 'extractive', ...first.articles[1], pinned: false, excluded: false },
      ]);
      const again = await editions.createEdition(
        { ...first, articles: [article('x', 'security', 1)] },
        new Date('2026-11-28T06:30:00Z'),
      );
      expect(again).toEqual(created);
      // The same newsletter and slot under another id is not stored twice.
      await editions.createEdition({ ...first, id: 'daily/other' }, builtAt);
      expect(await editions.getEdition('daily/other')).toBeNull();
      expect(await editions.listEditions()).toHaveLength(1);
      expect(await editions.getEdition('nope')).toBeNull();
    });

    it('lists newest slot first, per newsletter or all, and finds the previous edition', async () => {
      const { editions } = store();
      await editions.createEdition(edition('2026-11-27T07:00:00.000Z', []), builtAt);
      await editions.createEdition(edition('2026-11-28T07:00:00.000Z', [article('a', 'world', 1)]), builtAt);
      await editions.createEdition(edition('2026-11-28T07:00:00.000Z', [], 'weekly'), builtAt);
      expect((await editions.listEditions()).map((e) => e.id)).toEqual([
        'daily/2026-11-28T07:00',
        'weekly/2026-11-28T07:00',
        'daily/2026-11-27T07:00',
      ]);
      expect((await editions.listEditions('daily')).map((e) => [e.id, e.articles.length])).toEqual([
        ['daily/2026-11-28T07:00', 1],
        ['daily/2026-11-27T07:00', 0],
      ]);
      expect((await editions.findPreviousEdition('daily', new Date('2026-11-28T07:00:00Z')))?.id).toBe(
        'daily/2026-11-27T07:00',
      );
      expect(await editions.findPreviousEdition('daily', new Date('2026-11-27T07:00:00Z'))).toBeNull();
      // By status (the scheduler's undecided drafts), per newsletter or all.
      await editions.setStatus('daily/2026-11-27T07:00', 'sent', { at: builtAt });
      expect((await editions.listEditions('daily', { statuses: ['draft', 'approved'] })).map((e) => e.id)).toEqual([
        'daily/2026-11-28T07:00',
      ]);
      expect((await editions.listEditions(undefined, { statuses: ['draft'] })).map((e) => e.id)).toEqual([
        'daily/2026-11-28T07:00',
        'weekly/2026-11-28T07:00',
      ]);
      expect(await editions.listEditions('daily', { statuses: ['skipped'] })).toEqual([]);
    });

    it('reports used articles, leaving out excluded ones, skipped editions and the edition asked about', async () => {
      const { editions } = store();
      const one = await editions.createEdition(
        edition('2026-11-27T07:00:00.000Z', [article('a', 'world', 1), article('b', 'world', 2)]),
        builtAt,
      );
      const two = await editions.createEdition(
        edition('2026-11-28T07:00:00.000Z', [article('c', 'world', 1)]),
        builtAt,
      );
      const skipped = await editions.createEdition(
        edition('2026-11-29T07:00:00.000Z', [article('d', 'world', 1)]),
        builtAt,
      );
      await editions.updatePick(one.id, 'b', { excluded: true });
      await editions.setStatus(skipped.id, 'skipped', { at: builtAt, reason: 'too few articles' });
      expect([...(await editions.listUsedArticleIds('daily'))].sort()).toEqual(['a', 'c']);
      expect([...(await editions.listUsedArticleIds('daily', two.id))].sort()).toEqual(['a']);
      expect(await editions.listUsedArticleIds('weekly')).toEqual(new Set());
    });

    it('applies picks: one pinned article first, exclusions, overrides over the frozen text', async () => {
      const { editions } = store();
      const { id } = await editions.createEdition(
        edition('2026-11-28T07:00:00.000Z', [
          article('a', 'world', 1),
          article('b', 'world', 2),
          article('c', 'world', 3),
        ]),
        builtAt,
      );
      await editions.updatePick(id, 'b', { pinned: true });
      await editions.updatePick(id, 'c', { pinned: true, titleOverride: 'Rewritten', summaryOverride: 'Shorter.' });
      await editions.updatePick(id, 'a', { excluded: true });
      await editions.updatePick(id, 'a', {});
      let stored = (await editions.getEdition(id))!;
      expect(stored.articles.map((a) => [a.articleId, a.pinned, a.excluded, a.title, a.summary])).toEqual([
        ['c', true, false, 'Rewritten', 'Shorter.'],
        ['a', false, true, 'Title a', 'Summary a.'],
        ['b', false, false, 'Title b', 'Summary b.'],
      ]);
      await editions.updatePick(id, 'c', { titleOverride: null, pinned: false });
      stored = (await editions.getEdition(id))!;
      expect(stored.articles.find((a) => a.articleId === 'c')).toMatchObject({
        title: 'Title c',
        summary: 'Shorter.',
        pinned: false,
      });
    });

    it('reorders a section, adds articles last in their section, moves one to another section', async () => {
      const { editions } = store();
      const { id } = await editions.createEdition(
        edition('2026-11-28T07:00:00.000Z', [
          article('a', 'world', 1),
          article('b', 'world', 2),
          article('s', 'security', 1),
        ]),
        builtAt,
      );
      await editions.setPositions(id, ['b', 'a']);
      expect(await editions.addArticle(id, article('n', 'world', 0))).toBe(true);
      expect(await editions.addArticle(id, article('n', 'world', 0))).toBe(false);
      expect(await editions.addArticle(id, article('first', 'technology', 0))).toBe(true);
      await editions.setArticleCategory(id, 'a', 'security');
      await editions.setArticleCategory(id, 'first', 'technology'); // already there: nothing moves
      const stored = (await editions.getEdition(id))!;
      const bySection = (category: string) =>
        stored.articles.filter((a) => a.category === category).map((a) => [a.articleId, a.position]);
      expect(bySection('world')).toEqual([
        ['b', 1],
        ['n', 3],
      ]);
      expect(bySection('security')).toEqual([
        ['s', 1],
        ['a', 2],
      ]);
      expect(bySection('technology')).toEqual([['first', 1]]);
    });

    it('keeps an intro', async () => {
      const { editions } = store();
      const { id } = await editions.createEdition(edition('2026-11-28T07:00:00.000Z', []), builtAt);
      await editions.setIntro(id, 'Good morning — “today”.');
      expect((await editions.getEdition(id))!.intro).toBe('Good morning — “today”.');
      await editions.setIntro(id, null);
      expect((await editions.getEdition(id))!.intro).toBeNull();
    });

    it('moves status under a lock, records the approver and forgets the approval back in draft', async () => {
      const { editions } = store();
      const { id } = await editions.createEdition(edition('2026-11-28T07:00:00.000Z', []), builtAt);
      const approveAt = new Date('2026-11-28T06:10:00Z');
      expect(await editions.setStatus(id, 'approved', { at: approveAt, approvedBy: 'alice', from: ['draft'] })).toBe(
        true,
      );
      expect(await editions.getEdition(id)).toMatchObject({
        status: 'approved',
        approvedAt: approveAt.toISOString(),
        approvedBy: 'alice',
      });
      // A second run that expected a draft loses.
      expect(await editions.setStatus(id, 'approved', { at: approveAt, approvedBy: 'bob', from: ['draft'] })).toBe(
        false,
      );
      expect(await editions.setStatus(id, 'sending', { at: approveAt, from: ['approved', 'draft'] })).toBe(true);
      expect(await editions.getEdition(id)).toMatchObject({ status: 'sending', approvedBy: 'alice' });
      expect(await editions.setStatus(id, 'draft', { at: approveAt, reason: 'approval withdrawn by alice' })).toBe(
        true,
      );
      expect(await editions.getEdition(id)).toMatchObject({
        status: 'draft',
        statusReason: 'approval withdrawn by alice',
        approvedAt: null,
        approvedBy: null,
      });
      expect(await editions.setStatus('missing', 'sent', { at: approveAt })).toBe(false);
    });

    it("records an edition's audience once, extends it, and moves the queue mark only from where it is", async () => {
      const { editions } = store();
      const { id } = await editions.createEdition(edition('2026-11-28T07:00:00.000Z', []), builtAt);
      expect((await editions.getEdition(id))!.audience).toBeUndefined();
      expect(await editions.recordAudience(id, { maxSubscriberId: 600, added: 580 })).toEqual({
        maxSubscriberId: 600,
        total: 580,
        queuedThrough: 0,
        heldBy: null,
      });
      // A second record with the same or a smaller bound changes nothing; a larger one adds the readers above the old bound.
      expect(await editions.recordAudience(id, { maxSubscriberId: 600, added: 999 })).toMatchObject({
        maxSubscriberId: 600,
        total: 580,
      });
      expect(await editions.recordAudience('missing', { maxSubscriberId: 1, added: 1 })).toBeNull();
      // Not sending yet: nobody is asked to finish its queue.
      expect(await editions.listUnqueued()).toEqual([]);
      await editions.setStatus(id, 'sending', { at: builtAt });
      expect(await editions.listUnqueued()).toEqual([id]);
      expect(await editions.listUnqueued('weekly')).toEqual([]);
      // Pages follow each other: a page past a gap does not move the mark.
      expect(await editions.advanceQueue(id, 256, 512)).toBe(false);
      expect(await editions.advanceQueue(id, 0, 256)).toBe(true);
      expect(await editions.advanceQueue(id, 0, 256)).toBe(false);
      expect(await editions.advanceQueue(id, 0, 100)).toBe(false);
      expect(await editions.advanceQueue(id, 256, 512)).toBe(true);
      await editions.holdQueue(id, 'send --limit 5');
      expect((await editions.getEdition(id))!.audience).toEqual({
        maxSubscriberId: 600,
        total: 580,
        queuedThrough: 512,
        heldBy: 'send --limit 5',
      });
      await editions.holdQueue(id, null);
      expect(await editions.advanceQueue(id, 512, 600)).toBe(true);
      expect(await editions.listUnqueued()).toEqual([]);
      expect(await editions.recordAudience(id, { maxSubscriberId: 640, added: 30 })).toEqual({
        maxSubscriberId: 640,
        total: 610,
        queuedThrough: 600,
        heldBy: null,
      });
      expect(await editions.listUnqueued('daily')).toEqual([id]);
    });

    it('one of two concurrent status changes from the same status wins', async () => {
      const { editions } = store();
      const { id } = await editions.createEdition(edition('2026-11-28T07:00:00.000Z', []), builtAt);
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => editions.setStatus(id, 'sending', { at: builtAt, from: ['draft'] })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps blocks per newsletter in the order they were made; adding twice keeps the first', async () => {
      const { editions } = store();
      await editions.addBlock('daily', {
        kind: 'source',
        value: 'tabloid',
        blockedBy: 'alice',
        blockedAt: '2026-11-28T06:00:00.000Z',
      });
      await editions.addBlock('daily', {
        kind: 'article',
        value: 't1',
        blockedBy: 'alice',
        blockedAt: '2026-11-28T06:00:00.000Z',
      });
      await editions.addBlock('daily', {
        kind: 'source',
        value: 'tabloid',
        blockedBy: 'bob',
        blockedAt: '2026-11-28T07:00:00.000Z',
      });
      await editions.addBlock('weekly', {
        kind: 'article',
        value: 'a',
        blockedBy: 'bob',
        blockedAt: '2026-11-28T07:00:00.000Z',
      });
      expect(
        (await editions.listBlocks('daily')).map((b) => `${b.kind}:${b.value}:${b.blockedBy}:${b.blockedAt}`),
      ).toEqual(['source:tabloid:alice:2026-11-28T06:00:00.000Z', 'article:t1:alice:2026-11-28T06:00:00.000Z']);
      expect(await editions.removeBlock('daily', 'source', 'tabloid')).toBe(true);
      expect(await editions.removeBlock('daily', 'source', 'tabloid')).toBe(false);
      expect((await editions.listBlocks('daily')).map((b) => b.value)).toEqual(['t1']);
      expect(await editions.listBlocks('monthly')).toEqual([]);
    });
  });
}
