/**
 * The fixed split of an evaluation corpus: sorted by id, every fourth article (positions
 * 3, 7, 11… from 0) is held out. Summarizer weights and thresholds are tuned on the
 * other three quarters only; the held-out quarter is only ever measured, so its figure
 * estimates how the summarizer does on articles it was not tuned on.
 */
export interface CorpusSplit<T> {
  tuning: T[];
  heldOut: T[];
}

export function splitHeldOut<T extends { id: string }>(articles: readonly T[]): CorpusSplit<T> {
  const sorted = [...articles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    tuning: sorted.filter((_, i) => i % 4 !== 3),
    heldOut: sorted.filter((_, i) => i % 4 === 3),
  };
}
