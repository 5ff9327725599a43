/**
 * The normalized story every source produces. Field names and order are the public
 * contract of `tidings inspect --json`.
 */
export interface Article {
  /** Stable: hash of the canonical URL without tracking parameters, else of source + title. */
  id: string;
  url: string | null;
  title: string;
  /** Clean paragraphs separated by blank lines; a subheading is a paragraph of its own. */
  text: string;
  summary: string | null;
  /** ISO 8601 UTC or null. */
  publishedAt: string | null;
  /** Category slugs. */
  categories: string[];
  source: string;
  author: string | null;
  imageUrl: string | null;
  language: string | null;
}

/**
 * What a parser hands over before normalization: raw labels rather than slugs,
 * a description as the source gave it, and no id yet.
 */
export interface ArticleDraft {
  url: string | null;
  title: string;
  text: string;
  /** The source's own description or excerpt, plain text, if any. */
  description: string | null;
  publishedAt: string | null;
  /** Labels as the source wrote them (`<category>`, tags, front matter). */
  labels: string[];
  author: string | null;
  imageUrl: string | null;
  language: string | null;
  /** The site or feed name, when the input names one. */
  siteName: string | null;
}

export const ARTICLE_FIELDS = [
  'id',
  'url',
  'title',
  'text',
  'summary',
  'publishedAt',
  'categories',
  'source',
  'author',
  'imageUrl',
  'language',
] as const satisfies readonly (keyof Article)[];

/** Projects any article-like object onto exactly the public fields, in order. */
export function toPublicArticle(article: Article): Article {
  const out = {} as Record<string, unknown>;
  for (const field of ARTICLE_FIELDS) out[field] = article[field];
  return out as unknown as Article;
}
