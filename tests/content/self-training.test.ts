import { describe, expect, it } from 'vitest';
import { trainSoftmax, type SoftmaxExample } from '../../src/content/softmax-regression.ts';
import { selfTrainSoftmax } from '../../src/content/self-training.ts';
import type { SparseVector } from '../../src/content/tfidf-vectorizer.ts';

const FEATURES = 8;
/** Unit vector with equal weight on the given features. */
function on(...features: number[]): SparseVector {
  const sorted = [...features].sort((a, b) => a - b);
  return { indices: Int32Array.from(sorted), values: Float64Array.from(sorted, () => 1 / Math.sqrt(sorted.length)) };
}
function oneHot(k: number): Float64Array {
  const t = new Float64Array(2);
  t[k] = 1;
  return t;
}

// Labelled: class 0 owns feature 0, class 1 feature 1. Features 2-5 occur only in the
// pool, each next to a labelled feature or to one that does (a chain: 0 -> 2 -> 4).
const labelled: SoftmaxExample[] = [
  { x: on(0), target: oneHot(0) },
  { x: on(0, 6), target: oneHot(0) },
  { x: on(1), target: oneHot(1) },
  { x: on(1, 7), target: oneHot(1) },
];
const pool: SparseVector[] = [on(0, 2), on(0, 2, 4), on(2, 4), on(1, 3), on(1, 3, 5), on(3, 5)];
const start = trainSoftmax(labelled, 2, FEATURES, { l2: 1e-3 });
const classOf = (p: Float64Array) => (p[0]! > p[1]! ? 0 : 1);

describe('selfTrainSoftmax', () => {
  it('learns features only the pool has, through pool articles that also carry known ones', () => {
    // Without the pool, a vector made of pool-only features is a coin toss.
    expect(start.probabilities(on(4))[0]!).toBeCloseTo(0.5, 6);
    expect(start.probabilities(on(5))[0]!).toBeCloseTo(0.5, 6);
    const trained = selfTrainSoftmax(start, labelled, pool, { l2: 1e-3 });
    expect(classOf(trained.probabilities(on(4)))).toBe(0);
    expect(classOf(trained.probabilities(on(5)))).toBe(1);
    expect(trained.probabilities(on(4))[0]!).toBeGreaterThan(0.6);
    // The labelled examples still come out right.
    for (const { x, target } of labelled) expect(classOf(trained.probabilities(x))).toBe(target.indexOf(1));
  });

  it('gives the same weights for the same inputs', () => {
    const a = selfTrainSoftmax(start, labelled, pool, { l2: 1e-3 });
    const b = selfTrainSoftmax(start, labelled, pool, { l2: 1e-3 });
    expect([...a.weights]).toEqual([...b.weights]);
  });

  it('returns the starting model when there is nothing to learn from', () => {
    expect(selfTrainSoftmax(start, labelled, [])).toBe(start);
    expect(selfTrainSoftmax(start, labelled, [on()])).toBe(start); // no feature: no evidence
    expect(selfTrainSoftmax(start, labelled, pool, { rounds: 0 })).toBe(start);
    expect(selfTrainSoftmax(start, [], pool)).toBe(start);
  });

  it('skips pool vectors without features rather than labelling them', () => {
    const a = selfTrainSoftmax(start, labelled, pool, { l2: 1e-3 });
    const b = selfTrainSoftmax(start, labelled, [on(), ...pool, on()], { l2: 1e-3 });
    expect([...b.weights]).toEqual([...a.weights]);
  });

  it('grows the pseudo-labelled set slowly, so pool articles the start model cannot place wait', () => {
    // Pool article {3, 5} has no labelled feature: to the start model it is a tie. Labelled
    // all at once (one round) it goes by the tie to class 0 and drags features 3 and 5
    // with it; growing slowly, {1, 3} and {1, 3, 5} teach 3 and 5 first.
    const once = selfTrainSoftmax(start, labelled, pool, { l2: 1e-3, rounds: 1 });
    const slowly = selfTrainSoftmax(start, labelled, pool, { l2: 1e-3, rounds: 20 });
    expect(classOf(once.probabilities(on(5)))).toBe(0);
    expect(classOf(slowly.probabilities(on(5)))).toBe(1);
    expect(classOf(slowly.probabilities(on(3)))).toBe(1);
  });
});
