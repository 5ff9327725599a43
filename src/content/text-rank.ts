/**
 * TextRank (Mihalcea & Tarau, 2004) over sentences: PageRank on the graph whose edges
 * are the cosine similarities of the sentences' term-count vectors. A sentence that
 * shares words with many sentences that are themselves central scores high: the
 * article's main thread, not one long sentence full of frequent words.
 *
 * Cost is O(n² · terms) for n sentences, about 0.1 ms for a 20-sentence article.
 */

/**
 * PageRank scores (summing to 1) of the similarity graph of sentences given as their
 * content words. A sentence with no edge spreads its rank evenly (the usual
 * dangling-node rule), so every score is finite. Words get integer ids and each
 * sentence a dense count vector: for a few dozen sentences that beats hashing per pair.
 */
export function textRank(sentences: readonly (readonly string[])[], damping = 0.85, iterations = 30): number[] {
  const n = sentences.length;
  if (n === 0) return [];
  const ids = new Map<string, number>();
  const termIds = sentences.map((words) =>
    words.map((w) => {
      let id = ids.get(w);
      if (id === undefined) {
        id = ids.size;
        ids.set(w, id);
      }
      return id;
    }),
  );
  const counts = termIds.map((list) => {
    const dense = new Float64Array(ids.size);
    for (const id of list) dense[id] = dense[id]! + 1;
    return dense;
  });
  const distinct = termIds.map((list) => [...new Set(list)]);
  const norms = counts.map((dense, i) => Math.sqrt(distinct[i]!.reduce((sum, id) => sum + dense[id]! ** 2, 0)));

  const weight: Float64Array[] = sentences.map(() => new Float64Array(n));
  const outSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (norms[i] === 0 || norms[j] === 0) continue;
      const [small, other] = distinct[i]!.length <= distinct[j]!.length ? [i, j] : [j, i];
      let dot = 0;
      for (const id of distinct[small]!) dot += counts[small]![id]! * counts[other]![id]!;
      const s = dot / (norms[i]! * norms[j]!);
      weight[i]![j] = s;
      weight[j]![i] = s;
      outSum[i] = outSum[i]! + s;
      outSum[j] = outSum[j]! + s;
    }
  }
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    let danglingRank = 0;
    for (let j = 0; j < n; j++) if (outSum[j] === 0) danglingRank += rank[j]!;
    next.fill((1 - damping) / n + (damping * danglingRank) / n);
    for (let j = 0; j < n; j++) {
      if (outSum[j] === 0) continue;
      const share = (damping * rank[j]!) / outSum[j]!;
      const row = weight[j]!;
      for (let i = 0; i < n; i++) next[i] = next[i]! + share * row[i]!;
    }
    [rank, next] = [next, rank];
  }
  return Array.from(rank);
}
