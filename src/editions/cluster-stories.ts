import { DEFAULT_CLUSTER_OPTIONS } from '../config/content-schema.ts';

/**
 * Near-duplicate articles from different sources (one wire story, several outlets,
 * each with its own headline) grouped into stories. Pure and deterministic.
 *
 * Each article is a set of word shingles (three consecutive words) of its title and
 * lead (the first `leadWords` words of its description and text). Two articles are the
 * same story when the Jaccard similarity of their sets reaches `threshold`. Candidate
 * pairs come from an inverted index (articles sharing a shingle), so a window of
 * thousands of articles is not compared pair by pair; shingles found in more than
 * `COMMON_SHINGLE` articles ("said on Friday") are boilerplate and name no candidates.
 * Each candidate pair is measured on the exact sets, so the threshold means what it
 * says (MinHash with banding was tried first: at low thresholds it misses pairs by
 * chance). A story's members are joined transitively (union-find).
 *
 * Why the lead and not the whole text: outlets running the same wire copy keep its
 * opening and cut or add at the end; two different stories under similar headlines
 * share a few title shingles but not their leads.
 */
export interface StoryCandidate {
  id: string;
  source: string;
  title: string;
  description?: string | null;
  text: string;
}

export interface ClusterOptions {
  /** Jaccard similarity of title+lead shingles at which two articles are one story (0–1]. */
  threshold: number;
  /** How many words of the lead take part. */
  leadWords: number;
}

/** Fewer shingles than this says too little to match on: such an article stays alone. */
const MIN_SHINGLES = 8;
const SHINGLE_WORDS = 3;
const COMMON_SHINGLE = 50;

/** Groups of article ids, each in input order; singletons included. */
export function clusterStories(
  articles: readonly StoryCandidate[],
  options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
): string[][] {
  const sets = articles.map((article) => shingleSet(article, options.leadWords));
  const parent = articles.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]!]!;
      index = parent[index]!;
    }
    return index;
  };

  const postings = new Map<string, number[]>();
  sets.forEach((set, index) => {
    if (set.size < MIN_SHINGLES) return;
    for (const shingle of set) {
      const posting = postings.get(shingle);
      if (posting) posting.push(index);
      else postings.set(shingle, [index]);
    }
  });

  const compared = new Set<number>();
  for (const posting of postings.values()) {
    if (posting.length < 2 || posting.length > COMMON_SHINGLE) continue;
    for (let i = 0; i < posting.length; i += 1) {
      for (let j = i + 1; j < posting.length; j += 1) {
        const a = posting[i]!;
        const b = posting[j]!;
        const pairKey = a * articles.length + b;
        if (compared.has(pairKey)) continue;
        compared.add(pairKey);
        // "From different sources": one source's own follow-ups are its business.
        if (articles[a]!.source === articles[b]!.source) continue;
        if (find(a) === find(b)) continue;
        if (jaccard(sets[a]!, sets[b]!) >= options.threshold) parent[find(b)] = find(a);
      }
    }
  }

  const groups = new Map<number, string[]>();
  articles.forEach((article, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(article.id);
    else groups.set(root, [article.id]);
  });
  return [...groups.values()];
}

/** Lower-cased words of letters and digits (any script), apostrophes inside words kept out. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function shingleSet(article: StoryCandidate, leadWords: number): Set<string> {
  const lead = wordsOf(`${article.description ?? ''} ${article.text}`).slice(0, leadWords);
  const set = new Set<string>();
  // Title and lead are shingled apart, so no shingle straddles the seam between them.
  for (const words of [wordsOf(article.title), lead]) {
    for (let i = 0; i + SHINGLE_WORDS <= words.length; i += 1) set.add(words.slice(i, i + SHINGLE_WORDS).join(' '));
  }
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared += 1;
  return shared / (a.size + b.size - shared);
}
