import { describe, expect, it } from 'vitest';
import { trainSoftmax, type SoftmaxExample } from '../../src/content/softmax-regression.ts';
import type { SparseVector } from '../../src/content/tfidf-vectorizer.ts';

/** Sparse unit vector over features 0..5 from a dense array. */
function vector(dense: number[]): SparseVector {
  const norm = Math.hypot(...dense);
  const indices = dense.flatMap((v, i) => (v ? [i] : []));
  return { indices: Int32Array.from(indices), values: Float64Array.from(indices, (i) => dense[i]! / norm) };
}
function oneHot(k: number, classes = 3): Float64Array {
  const t = new Float64Array(classes);
  t[k] = 1;
  return t;
}

// Three classes, each owning two features, with a shared noise feature (5) on some examples.
const examples: SoftmaxExample[] = [
  { x: vector([2, 1, 0, 0, 0, 0]), target: oneHot(0) },
  { x: vector([1, 2, 0, 0, 0, 1]), target: oneHot(0) },
  { x: vector([0, 0, 2, 1, 0, 0]), target: oneHot(1) },
  { x: vector([0, 0, 1, 1, 0, 1]), target: oneHot(1) },
  { x: vector([0, 0, 0, 1, 2, 0]), target: oneHot(2) },
  { x: vector([0, 1, 0, 0, 2, 1]), target: oneHot(2) },
];

describe('trainSoftmax', () => {
  it('learns a separable toy set: every example right, with probabilities summing to 1', () => {
    const model = trainSoftmax(examples, 3, 6, { l2: 1e-3 });
    for (const { x, target } of examples) {
      const p = model.probabilities(x);
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(p.indexOf(Math.max(...p))).toBe(target.indexOf(1));
    }
    // Unseen mixtures lean towards the class owning their features.
    expect(model.probabilities(vector([0, 0, 3, 0, 0, 0]))[1]!).toBeGreaterThan(0.5);
  });

  it('gives the same weights for the same examples (no randomness)', () => {
    const a = trainSoftmax(examples, 3, 6);
    const b = trainSoftmax(examples, 3, 6);
    expect([...a.weights]).toEqual([...b.weights]);
  });

  it('is less confident with a stronger L2 penalty', () => {
    const x = examples[0]!.x;
    const loose = trainSoftmax(examples, 3, 6, { l2: 1e-4 }).probabilities(x)[0]!;
    const tight = trainSoftmax(examples, 3, 6, { l2: 1e-1 }).probabilities(x)[0]!;
    expect(loose).toBeGreaterThan(tight);
    expect(tight).toBeGreaterThan(1 / 3);
  });

  it('learns shared targets as a split probability', () => {
    const shared: SoftmaxExample[] = [
      ...examples,
      { x: vector([0, 0, 0, 0, 0, 1]), target: Float64Array.of(0.5, 0.5, 0) },
    ];
    const p = trainSoftmax(shared, 3, 6, { l2: 1e-2 }).probabilities(vector([0, 0, 0, 0, 0, 1]));
    expect(Math.abs(p[0]! - p[1]!)).toBeLessThan(0.2);
    expect(p[2]!).toBeLessThan(p[0]!);
  });

  it('starting from a fitted model (warm start) ends at the same minimum, and refuses another shape', () => {
    const cold = trainSoftmax(examples, 3, 6, { l2: 1e-3, tolerance: 1e-7 });
    const rough = trainSoftmax(examples.slice(0, 4), 3, 6, { l2: 1e-3 });
    const warm = trainSoftmax(examples, 3, 6, { l2: 1e-3, tolerance: 1e-7, start: rough });
    for (const { x } of examples) {
      const [a, b] = [cold.probabilities(x), warm.probabilities(x)];
      for (let k = 0; k < 3; k++) expect(b[k]!).toBeCloseTo(a[k]!, 4);
    }
    expect([...rough.weights]).toEqual([...trainSoftmax(examples.slice(0, 4), 3, 6, { l2: 1e-3 }).weights]); // start left as it was
    expect(() => trainSoftmax(examples, 3, 7, { start: rough })).toThrow(RangeError);
  });

  it('predicts the class frequencies when there is no feature at all', () => {
    const empty: SoftmaxExample[] = [
      { x: vector([0, 0, 0, 0, 0, 0]), target: oneHot(0, 2) },
      { x: vector([0, 0, 0, 0, 0, 0]), target: oneHot(0, 2) },
      { x: vector([0, 0, 0, 0, 0, 0]), target: oneHot(1, 2) },
    ];
    const p = trainSoftmax(empty, 2, 6).probabilities(vector([0, 0, 0, 0, 0, 0]));
    expect(p[0]).toBeCloseTo(2 / 3, 3);
  });
});
