import type { HttpValidators } from '../types.ts';

/**
 * Full text fetched for feed items, by the URL it was fetched from: the extracted text
 * and the response's validators, so the next run asks conditionally and a 304 reuses
 * the text without fetching or parsing the page again.
 */
export interface CachedPage {
  url: string;
  validators: HttpValidators;
  title: string | null;
  text: string;
  imageUrl: string | null;
  /** The page's declared language (`<html lang>`, meta), lower case; null when it declares none. */
  language: string | null;
  fetchedAt: string;
}

export interface PageCacheStore {
  getPage(url: string): Promise<CachedPage | null>;
  /** Inserts or replaces the entry of `page.url`. */
  putPage(page: CachedPage): Promise<void>;
  /** Marks the entry as confirmed by a 304 at `at`. */
  touchPage(url: string, at: Date): Promise<void>;
}
