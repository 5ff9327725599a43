/**
 * The transductive labelling rule of issue 25 ("at least 98% of articles get a
 * category"). The classifier knows the articles it has to sort (its self-training pool,
 * src/content/self-training.ts), so instead of a probability threshold, which fixed on
 * one training set does not carry to another (a model trained on more articles is surer
 * of everything), it labels all but the least sure share of that pool. Coverage is then
 * met by construction on the pool; only the precision depends on the model, and
 * bench/classify-eval.ts measures it on splits never tuned on.
 */
export const DEFAULT_LABEL_SHARE = 0.98;

/**
 * The labelled-only probability of the first (ranked-best) prediction minus the highest
 * other one: negative when the self-trained ranking and the labelled-only model disagree,
 * which puts those articles first among the unsure.
 */
export function surenessOf(predictions: readonly { confidence: number }[]): number {
  const [best, ...others] = predictions;
  if (!best) return Number.NEGATIVE_INFINITY;
  let next = 0;
  for (const other of others) next = Math.max(next, other.confidence);
  return best.confidence - next;
}

/**
 * The sureness from which an article is labelled so that the surest `labelShare` of
 * `poolSureness` are: the least sure floor((1 - labelShare) * n) are left out (a pool of
 * 49 or fewer leaves none out at 0.98). Ties at the threshold are all labelled.
 * Infinity (the rule labels nothing) when the pool is empty or `labelShare` is 0.
 */
export function labellingThreshold(poolSureness: readonly number[], labelShare: number): number {
  const n = poolSureness.length;
  const kept = n - Math.floor((1 - labelShare) * n + 1e-9);
  if (n === 0 || labelShare <= 0 || kept <= 0) return Number.POSITIVE_INFINITY;
  const sorted = [...poolSureness].sort((x, y) => y - x);
  return sorted[kept - 1]!;
}
