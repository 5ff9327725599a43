import type { ArticleDraft } from '../core/article.ts';

/** Bytes read from a file or a URL, before decoding. */
export interface FetchedResource {
  bytes: Uint8Array;
  /** The Content-Type header (URLs) or null (files). */
  contentType: string | null;
  /** The final URL after redirects, or the file path. */
  location: string;
  /** True when `location` is an http(s) URL. */
  isUrl: boolean;
}

/** What each input turns out to be; detected from content and name. */
export type InputKind = 'feed' | 'page' | 'page-dump' | 'markdown' | 'json';

/** One parsed input: its kind and the drafts found in it, in document order. */
export interface ParsedInput {
  kind: InputKind;
  drafts: ArticleDraft[];
  /** Problems that did not stop parsing (lenient recovery), for the log. */
  warnings: string[];
}
