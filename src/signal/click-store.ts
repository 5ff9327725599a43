/**
 * Aggregate click counts (newsletters[].analytics: aggregate), owned by the click
 * operations that consume them. A row is one (edition, article, section): the article's
 * source and the edition's slot are copied in so reports need no other table. Nothing
 * about the reader is stored: no subscriber, address, user agent or time of the click.
 */
export interface ClickKey {
  editionId: string;
  newsletterId: string;
  /** The edition's slot in UTC (ISO 8601): the 30-day reports select by it. */
  slotUtc: string;
  articleId: string;
  /** A category slug, or `top` for the top story. */
  section: string;
  /** The article's configured source name. */
  source: string;
}

export interface ClickCount extends ClickKey {
  /** Requests that looked like a reader's browser following the link. */
  clicks: number;
  /** Requests redirected but not counted: HEAD, scanners, prefetches, no navigation headers. */
  filtered: number;
}

export interface ClickStore {
  /** Adds one to the row's `clicks` or `filtered`, creating the row at zero first. */
  add(key: ClickKey, kind: 'clicks' | 'filtered'): Promise<void>;
  /** Every row of one edition. */
  listForEdition(editionId: string): Promise<ClickCount[]>;
  /** Every row of editions whose slot is at or after `sinceUtc`, optionally of one newsletter. */
  listSince(sinceUtc: Date, newsletterId?: string): Promise<ClickCount[]>;
}
