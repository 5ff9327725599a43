import { describe, expect, it } from 'vitest';
import { trainClassifier, type CategoryExample } from '../../src/content/category-model.ts';
import { labellingThreshold, surenessOf } from '../../src/content/pool-threshold.ts';
import { HELD_OUT, TRAINING } from '../fixtures/content/labelled-articles.ts';

const examples: CategoryExample[] = TRAINING.map((a) => ({ title: a.title, text: a.text, categories: [a.category] }));

describe('labellingThreshold (label all but the least sure share of the pool)', () => {
  it('leaves out the least sure floor((1 - share) * n), none in a pool under 50 at 0.98', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i / 100);
    expect(labellingThreshold(hundred, 0.98)).toBe(0.02);
    expect(labellingThreshold(hundred, 0.9)).toBe(0.1);
    expect(labellingThreshold([0.3, -0.2, 0.9], 0.98)).toBe(-0.2);
    expect(
      labellingThreshold(
        Array.from({ length: 49 }, (_, i) => i),
        0.98,
      ),
    ).toBe(0);
    expect(
      labellingThreshold(
        Array.from({ length: 50 }, (_, i) => i),
        0.98,
      ),
    ).toBe(1);
  });

  it('labels nothing by the pool when the pool is empty or the share is 0, everything at 1', () => {
    expect(labellingThreshold([], 0.98)).toBe(Number.POSITIVE_INFINITY);
    expect(labellingThreshold([0.5, 0.7], 0)).toBe(Number.POSITIVE_INFINITY);
    expect(labellingThreshold([0.5, -0.7, 0.2], 1)).toBe(-0.7);
  });

  it('sureness is the best confidence minus the highest other one, negative when another leads', () => {
    expect(surenessOf([{ confidence: 0.7 }, { confidence: 0.2 }, { confidence: 0.1 }])).toBeCloseTo(0.5, 12);
    expect(surenessOf([{ confidence: 0.3 }, { confidence: 0.6 }])).toBeCloseTo(-0.3, 12);
    expect(surenessOf([{ confidence: 1 }])).toBe(1);
    expect(surenessOf([])).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('CategoryModel with a pool: the labelShare rule on a real fit', () => {
  it('labels exactly the surest share of the pool when minConfidence alone would label none', () => {
    const model = trainClassifier(examples, { labelShare: 0.8, minConfidence: 1 }, HELD_OUT);
    const labelled = HELD_OUT.filter((a) => model.classify(a) !== null);
    expect(labelled).toHaveLength(HELD_OUT.length - 2);
    const left = HELD_OUT.filter((a) => !labelled.includes(a));
    const leastLabelled = Math.min(...labelled.map((a) => model.sureness(a)));
    for (const a of left) expect(model.sureness(a), a.title).toBeLessThan(leastLabelled);
    expect(model.poolThreshold).toBe(leastLabelled);
  });

  it('by default labels every article of a small pool with the category the scores rank first', () => {
    const model = trainClassifier(examples, {}, HELD_OUT);
    expect(model.labelShare).toBe(0.98);
    for (const a of HELD_OUT) expect(model.classify(a)?.category, a.title).toBe(model.scores(a)[0]!.category);
    const right = HELD_OUT.filter((a) => model.classify(a)?.category === a.category).length;
    expect(right).toBeGreaterThanOrEqual(HELD_OUT.length - 1);
  });

  it('without a pool, minConfidence alone decides, as before', () => {
    const model = trainClassifier(examples);
    expect(model.poolThreshold).toBe(Number.POSITIVE_INFINITY);
    for (const a of HELD_OUT) {
      const best = model.scores(a)[0]!;
      expect(model.classify(a) !== null, a.title).toBe(best.confidence >= model.minConfidence);
    }
  });

  it('never labels an article with no known word, whatever the pool', () => {
    const model = trainClassifier(examples, { labelShare: 1 }, HELD_OUT);
    expect(model.classify({ title: 'Wubbly gronk', text: 'Plimf snarbles the quaggy zint.' })).toBeNull();
  });
});
