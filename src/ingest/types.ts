import type { ArticleDraft } from '../core/article.ts';
import type { HttpValidators } from '../core/http/http-client.ts';

/** Bytes read from a file or a URL, before decoding. */
export interface FetchedResource {
  bytes: Uint8Array;
  /** The Content-Type header (URLs) or null (files). */
  contentType: string | null;
  /** The final URL after redirects, or the file path. */
  location: string;
  /** True when `location` is an http(s) URL. */
  isUrl: boolean;
  /** The response's validators (URLs only), for the next conditional request. */
  validators?: HttpValidators;
  /** The server answered 304 to a conditional request: nothing changed, `bytes` is empty. */
  notModified?: boolean;
}

/** HTTP cache validators of a response (ETag, Last-Modified), sent back on the next request to the same URL. */
export type { HttpValidators } from '../core/http/http-client.ts';

/** What each input turns out to be; detected from content and name. */
export type InputKind = 'feed' | 'page' | 'page-dump' | 'markdown' | 'json';

/** One parsed input: its kind and the drafts found in it, in document order. */
export interface ParsedInput {
  kind: InputKind;
  drafts: ArticleDraft[];
  /** Problems that did not stop parsing (lenient recovery), for the log. */
  warnings: string[];
}
