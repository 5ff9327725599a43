import type { FullTextOptions } from '../../config/schema.ts';
import type { ArticleDraft } from '../../core/article.ts';
import type { Clock } from '../../core/clock.ts';
import { reasonOf } from './error-reason.ts';
import { isHttpUrl } from '../../core/http-url.ts';
import type { HttpClient } from '../../core/http/http-client.ts';
import type { PageCacheStore } from './page-cache-store.ts';
import { decodeText } from '../decode-text.ts';
import type { PageExtractor } from '../page/page-extractor.ts';
import type { HttpValidators } from '../types.ts';
import { createRobotsCache } from './robots-cache.ts';

export type FullTextMode = 'auto' | 'always' | 'never';

export interface FullTextDeps {
  /** The one HTTP client; pages and robots.txt go out as untrusted URLs. */
  http: HttpClient;
  options: FullTextOptions;
  pages: PageExtractor;
  cache: PageCacheStore;
  clock: Clock;
  /** Waits between two requests to one host; tests pass a shorter one. */
  sleep?: (ms: number) => Promise<void>;
}

export interface FullTextResult {
  drafts: ArticleDraft[];
  warnings: string[];
  /** Pages fetched (200), confirmed unchanged (304), skipped by robots.txt, failed. */
  counts: { fetched: number; notModified: number; disallowed: number; failed: number };
}

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1';
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * Completes excerpt-only feed items with their page's main text: robots.txt honoured,
 * at most `maxConcurrent` pages at once and `perHostDelay` between two requests to a
 * host, the fetch limits of every fetch, conditional GET against the cache by URL, and
 * the bounded page extractor. Links from feeds are untrusted: only public addresses,
 * unless `fetch.allowPrivateNetworks`. An item whose page cannot be had keeps its
 * excerpt, with a warning; a full-text failure never fails the source. The feed's own
 * text becomes the item's description (when it has none), so a real summary written by
 * the source is still preferred by the summarizer (content/source-description.ts).
 */
export function createFullTextFetcher(deps: FullTextDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const hostQueues = new Map<string, Promise<unknown>>();

  /** One request at a time per host, `perHostDelay` apart. */
  function onHost<T>(host: string, task: () => Promise<T>): Promise<T> {
    const previous = hostQueues.get(host);
    const run = previous ? previous.then(() => sleep(deps.options.perHostDelay)).then(task) : task();
    hostQueues.set(
      host,
      run.catch(() => undefined),
    );
    return run;
  }

  const fetchLimited = (url: string, validators: HttpValidators | null = null, accept = PAGE_ACCEPT) =>
    onHost(new URL(url).host, () => deps.http.get(url, { validators, accept, untrusted: true }));
  const robots = createRobotsCache({
    agent: deps.options.robotsAgent,
    fetch: (url) => fetchLimited(url, null, 'text/plain, */*;q=0.1'),
  });

  async function complete(
    draft: ArticleDraft,
    counts: FullTextResult['counts'],
    warnings: string[],
  ): Promise<ArticleDraft> {
    const url = draft.url!;
    const verdict = await robots.check(url);
    if (verdict.warning) warnings.push(verdict.warning);
    if (!verdict.allowed) {
      counts.disallowed += 1;
      warnings.push(`full text of ${url} not fetched: robots.txt disallows it; the feed's excerpt is kept`);
      return draft;
    }
    try {
      const cached = await deps.cache.getPage(url);
      const response = await fetchLimited(url, cached?.validators ?? null);
      let page = cached;
      if (response.notModified && cached) {
        counts.notModified += 1;
        await deps.cache.touchPage(url, deps.clock.now());
      } else {
        const html = decodeText(response.bytes, { contentType: response.contentType, kind: 'html' });
        const extracted = await deps.pages.extract(html, { url: response.location, name: url });
        page = {
          url,
          validators: response.validators ?? { etag: null, lastModified: null },
          title: extracted.draft.title || null,
          text: extracted.draft.text,
          imageUrl: extracted.draft.imageUrl,
          language: extracted.draft.language,
          fetchedAt: deps.clock.now().toISOString(),
        };
        await deps.cache.putPage(page);
        counts.fetched += 1;
      }
      if (!page || wordCount(page.text) <= wordCount(draft.text)) return draft;
      return {
        ...draft,
        text: page.text,
        description: draft.description ?? (draft.text.trim() ? draft.text : null),
        imageUrl: draft.imageUrl ?? page.imageUrl,
        // The text is now the page's, so its declared language describes it (the feed's may not).
        language: page.language ?? draft.language,
      };
    } catch (error) {
      counts.failed += 1;
      // The warning names the URL already; the error's own `where` would repeat it.
      const reason = reasonOf(error);
      warnings.push(`full text of ${url} not fetched: ${reason}; the feed's excerpt is kept`);
      return draft;
    }
  }

  return {
    async completeDrafts(drafts: readonly ArticleDraft[], mode: FullTextMode): Promise<FullTextResult> {
      const counts = { fetched: 0, notModified: 0, disallowed: 0, failed: 0 };
      const warnings: string[] = [];
      const result = [...drafts];
      if (mode === 'never') return { drafts: result, warnings, counts };
      const wanted = result
        .map((draft, index) => ({ draft, index }))
        .filter(
          ({ draft }) => isHttpUrl(draft.url) && (mode === 'always' || wordCount(draft.text) < deps.options.minWords),
        );
      let next = 0;
      const worker = async () => {
        while (next < wanted.length) {
          const { draft, index } = wanted[next++]!;
          result[index] = await complete(draft, counts, warnings);
        }
      };
      await Promise.all(Array.from({ length: Math.min(deps.options.maxConcurrent, wanted.length) }, worker));
      return { drafts: result, warnings, counts };
    },
  };
}
