/**
 * Totals over the whole store for monitoring (the /metrics endpoint): cheap
 * aggregate queries, read at scrape time.
 */
export interface StoreStats {
  /** Editions per status (draft, approved, sending, sent, skipped, …). */
  editionsByStatus(): Promise<Record<string, number>>;
  /** Ledger rows per delivery status across every edition. */
  deliveriesByStatus(): Promise<Record<string, number>>;
}
