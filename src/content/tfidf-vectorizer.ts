/**
 * TF-IDF vectors over a vocabulary learnt from training documents (term -> count maps).
 *
 * - Terms seen in fewer than `minDf` training documents are left out of the vocabulary:
 *   on a few hundred articles a term seen once is mostly noise (a name, a typo).
 * - Weight of a term: (1 + ln count) * idf, idf = ln((1 + N) / (1 + df)) + 1
 *   (sublinear tf, so a repeated name does not outweigh the rest; smoothed idf).
 * - Vectors have unit L2 length. The length counts every term of the document, those
 *   outside the vocabulary too (at the idf of a term no document had), so an article
 *   mostly made of words the model never saw gets a short vector and a soft prediction
 *   rather than a confident one built from its few known words.
 */
export interface SparseVector {
  /** Vocabulary indices, ascending. */
  indices: Int32Array;
  values: Float64Array;
}

export interface TfidfOptions {
  /** Minimum number of training documents a term must occur in. Default 2. */
  minDf?: number;
}

export class TfidfVectorizer {
  readonly #index = new Map<string, number>();
  readonly #idf: Float64Array;
  readonly #unseenIdf: number;

  private constructor(index: Map<string, number>, idf: Float64Array, unseenIdf: number) {
    this.#index = index;
    this.#idf = idf;
    this.#unseenIdf = unseenIdf;
  }

  /** Learns vocabulary and idf; the vocabulary is ordered by first appearance, so the same documents give the same vectorizer. */
  static fit(documents: readonly ReadonlyMap<string, number>[], options: TfidfOptions = {}): TfidfVectorizer {
    const minDf = options.minDf ?? 2;
    const df = new Map<string, number>();
    for (const doc of documents) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const index = new Map<string, number>();
    const idfs: number[] = [];
    const n = documents.length;
    for (const [term, count] of df) {
      if (count < minDf) continue;
      index.set(term, idfs.length);
      idfs.push(Math.log((1 + n) / (1 + count)) + 1);
    }
    return new TfidfVectorizer(index, Float64Array.from(idfs), Math.log(1 + n) + 1);
  }

  get size(): number {
    return this.#idf.length;
  }

  /** Index of a term in the vocabulary, or undefined. */
  indexOf(term: string): number | undefined {
    return this.#index.get(term);
  }

  transform(counts: ReadonlyMap<string, number>): SparseVector {
    const pairs: [number, number][] = [];
    let squares = 0;
    for (const [term, count] of counts) {
      if (count <= 0) continue;
      const tf = count >= 1 ? 1 + Math.log(count) : count;
      const i = this.#index.get(term);
      const weight = tf * (i === undefined ? this.#unseenIdf : this.#idf[i]!);
      squares += weight * weight;
      if (i !== undefined) pairs.push([i, weight]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const norm = squares > 0 ? Math.sqrt(squares) : 1;
    return {
      indices: Int32Array.from(pairs, (p) => p[0]),
      values: Float64Array.from(pairs, (p) => p[1] / norm),
    };
  }
}
