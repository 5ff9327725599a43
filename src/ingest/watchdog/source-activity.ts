/**
 * What the source watchdog reads from the store: one line per article a source brought,
 * without its text (the length is enough to see an extraction shrink). The port belongs
 * here, with its consumer; both stores implement it on their articles table.
 */
export interface SourceActivity {
  source: string;
  /** When this store first saw the article (ISO). */
  firstSeenAt: string;
  /** When the source says it was published (ISO), if it says. */
  publishedAt: string | null;
  title: string;
  /** Characters of the stored text: the feed's excerpt, or the page's full text. */
  textLength: number;
}

export interface SourceActivityReader {
  /** Every article first seen at or after `since`, oldest first. */
  listSourceActivity(since: Date): Promise<SourceActivity[]>;
}
