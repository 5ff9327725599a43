import type { SparseVector } from './tfidf-vectorizer.ts';

/**
 * Multinomial logistic regression (softmax) on sparse vectors, trained by L-BFGS on
 *   mean cross-entropy + (l2 / 2) * |W|^2      (biases not penalized)
 * Full-batch and without randomness, so the same examples always give the same
 * weights (no seed to carry). The loss is convex: L-BFGS reaches its minimum in a few
 * dozen passes, which on a few thousand short vectors takes well under a second.
 */
export interface SoftmaxExample {
  x: SparseVector;
  /** Target distribution over the classes (one-hot, or shared between several). */
  target: Float64Array;
}

export interface SoftmaxOptions {
  /** L2 penalty on the weights. Default 1e-4. */
  l2?: number;
  /** Maximum L-BFGS iterations. Default 200. */
  maxIterations?: number;
  /**
   * Stop when the gradient's largest entry falls below this. Default 1e-4: on
   * bench/classify-eval.ts 1e-5 changes no best category and takes half as long again.
   */
  tolerance?: number;
  /**
   * A model to start from (same classes and features, fitted on similar examples): the
   * same minimum (up to `tolerance`) is reached in fewer passes. Self-training refits this way.
   */
  start?: SoftmaxModel;
}

export class SoftmaxModel {
  /** @param weights classes x features, row by row; then one bias per class. */
  constructor(
    readonly classes: number,
    readonly features: number,
    readonly weights: Float64Array,
  ) {}

  logits(x: SparseVector): Float64Array {
    const out = new Float64Array(this.classes);
    const biases = this.classes * this.features;
    for (let k = 0; k < this.classes; k++) {
      const row = k * this.features;
      let sum = this.weights[biases + k]!;
      for (let j = 0; j < x.indices.length; j++) sum += this.weights[row + x.indices[j]!]! * x.values[j]!;
      out[k] = sum;
    }
    return out;
  }

  probabilities(x: SparseVector): Float64Array {
    return softmaxInPlace(this.logits(x));
  }
}

export function softmaxInPlace(logits: Float64Array): Float64Array {
  let top = -Infinity;
  for (const l of logits) top = Math.max(top, l);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += logits[k] = Math.exp(logits[k]! - top);
  for (let k = 0; k < logits.length; k++) logits[k]! /= sum;
  return logits;
}

/** Loss and gradient of the objective at `w` (gradient written into `grad`). */
function lossAndGradient(
  w: Float64Array,
  grad: Float64Array,
  examples: readonly SoftmaxExample[],
  classes: number,
  features: number,
  l2: number,
): number {
  const biases = classes * features;
  const n = examples.length;
  const p = new Float64Array(classes);
  grad.fill(0);
  let loss = 0;
  for (const { x, target } of examples) {
    for (let k = 0; k < classes; k++) {
      const row = k * features;
      let sum = w[biases + k]!;
      for (let j = 0; j < x.indices.length; j++) sum += w[row + x.indices[j]!]! * x.values[j]!;
      p[k] = sum;
    }
    softmaxInPlace(p);
    for (let k = 0; k < classes; k++) {
      if (target[k]! > 0) loss -= (target[k]! * Math.log(Math.max(p[k]!, 1e-300))) / n;
      const delta = (p[k]! - target[k]!) / n;
      if (delta === 0) continue;
      const row = k * features;
      for (let j = 0; j < x.indices.length; j++) grad[row + x.indices[j]!]! += delta * x.values[j]!;
      grad[biases + k]! += delta;
    }
  }
  for (let i = 0; i < biases; i++) {
    loss += 0.5 * l2 * w[i]! * w[i]!;
    grad[i]! += l2 * w[i]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function trainSoftmax(
  examples: readonly SoftmaxExample[],
  classes: number,
  features: number,
  options: SoftmaxOptions = {},
): SoftmaxModel {
  const l2 = options.l2 ?? 1e-4;
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-4;
  const size = classes * features + classes;
  const memory = 10;
  if (options.start && options.start.weights.length !== size)
    throw new RangeError('start model has other classes or features');
  let w = options.start ? Float64Array.from(options.start.weights) : new Float64Array(size);
  let grad = new Float64Array(size);
  let loss = lossAndGradient(w, grad, examples, classes, features, l2);
  const steps: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const direction = new Float64Array(size);
  const alphas = new Float64Array(memory);
  for (let iteration = 0; iteration < maxIterations && examples.length > 0; iteration++) {
    let largest = 0;
    for (let i = 0; i < size; i++) largest = Math.max(largest, Math.abs(grad[i]!));
    if (largest < tolerance) break;
    // Two-loop recursion: direction = -H * grad.
    for (let i = 0; i < size; i++) direction[i] = -grad[i]!;
    for (let m = steps.length - 1; m >= 0; m--) {
      const { s, y, rho } = steps[m]!;
      alphas[m] = rho * dot(s, direction);
      for (let i = 0; i < size; i++) direction[i]! -= alphas[m]! * y[i]!;
    }
    const last = steps.at(-1);
    const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.sqrt(dot(grad, grad));
    for (let i = 0; i < size; i++) direction[i]! *= gamma;
    for (let m = 0; m < steps.length; m++) {
      const { s, y, rho } = steps[m]!;
      const beta = rho * dot(y, direction);
      for (let i = 0; i < size; i++) direction[i]! += s[i]! * (alphas[m]! - beta);
    }
    let slope = dot(grad, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature information gone stale): restart from the gradient.
      steps.length = 0;
      const norm = Math.sqrt(dot(grad, grad));
      for (let i = 0; i < size; i++) direction[i] = -grad[i]! / norm;
      slope = dot(grad, direction);
    }
    // Backtracking line search (Armijo condition).
    let step = 1;
    const next = new Float64Array(size);
    const nextGrad = new Float64Array(size);
    let nextLoss = Infinity;
    for (let tries = 0; tries < 30; tries++, step /= 2) {
      for (let i = 0; i < size; i++) next[i] = w[i]! + step * direction[i]!;
      nextLoss = lossAndGradient(next, nextGrad, examples, classes, features, l2);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
    }
    if (!(nextLoss < loss)) break; // no progress possible: at the minimum up to rounding
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = next[i]! - w[i]!;
      y[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      steps.push({ s, y, rho: 1 / sy });
      if (steps.length > memory) steps.shift();
    }
    const converged = loss - nextLoss < 1e-10 * Math.max(1, Math.abs(loss));
    w = next;
    grad = nextGrad;
    loss = nextLoss;
    if (converged) break;
  }
  return new SoftmaxModel(classes, features, w);
}
