import type { ArticleDraft } from '../../core/article.ts';

/** What `parseFeed` returns: the feed's own metadata and one draft per item. */
export interface ParsedFeed {
  title: string | null;
  /** The site the feed belongs to (RSS channel link, Atom alternate link, JSON home_page_url). */
  siteUrl: string | null;
  language: string | null;
  drafts: ArticleDraft[];
  /** Problems that did not stop parsing (lenient recovery). */
  warnings: string[];
}

export interface ParseFeedOptions {
  /** Where the feed came from; relative links resolve against it when the feed gives no base. */
  baseUrl: string | null;
  /** Upper bound on entity/character references decoded in XML feeds. */
  maxEntityExpansions?: number;
}
