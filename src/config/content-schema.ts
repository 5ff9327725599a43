import { z } from 'zod';
import { duration, httpUrl, localeTag, size, slug } from './schema-fields.ts';

/** What is read and how it is turned into articles: categories, sources, fetch and parse limits, summaries, classifier, de-duplication. */

export const categorySchema = z.strictObject({
  title: z.string().min(1),
  /** The title per locale (`ru`, `de`, `de-CH`…), for section headings; `title` where none fits. */
  titles: z.record(localeTag, z.string().min(1)).optional(),
  /** Source labels that mean this category (matched case- and accent-insensitively). */
  aliases: z.array(z.string()).default([]),
  /** Words that put an uncategorized article into this category; they win over the classifier. */
  keywords: z.array(z.string()).default([]),
});

const sourceBase = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a name of letters, digits, dots, dashes or underscores'),
  /** The name readers see; default: the feed's or site's own name. */
  title: z.string().trim().min(1).optional(),
  /** Categories given to every article of this source, besides its own labels. */
  categories: z.array(slug).default([]),
  enabled: z.boolean().default(true),
  /** How often the scheduler ingests this source (it is also ingested right before every edition). */
  every: duration('30m').refine((ms) => ms >= 1000, { message: 'must be at least 1s' }),
};

const feedSource = z
  .strictObject({
    ...sourceBase,
    type: z.literal('feed'),
    url: httpUrl.optional(),
    path: z.string().optional(),
    /** Fetch each item's page for its full text: when the item is shorter than `fullText.minWords` (auto), always, or never. */
    fullText: z.enum(['auto', 'always', 'never']).default('auto'),
  })
  .refine((s) => Boolean(s.url) !== Boolean(s.path), { message: 'a feed needs exactly one of url or path' });
const pageSource = z
  .strictObject({ ...sourceBase, type: z.literal('page'), url: httpUrl.optional(), path: z.string().optional() })
  .refine((s) => Boolean(s.url) !== Boolean(s.path), { message: 'a page needs exactly one of url or path' });
const folderSource = z.strictObject({ ...sourceBase, type: z.literal('folder'), path: z.string().min(1) });

export const sourceSchema = z.discriminatedUnion('type', [feedSource, pageSource, folderSource]);

export const fetchLimitsSchema = z
  .strictObject({
    maxBytes: size('10MB'),
    timeout: duration('30s'),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    userAgent: z.string().default('Tidings/0.1 (+https://github.com/tidings)'),
    /**
     * URLs found in content (full-text pages, their robots.txt, article images) may reach
     * loopback, private and other special-purpose addresses. Off by default (SSRF);
     * configured source URLs are never restricted.
     */
    allowPrivateNetworks: z.boolean().default(false),
  })
  .prefault({});

/** Full text for excerpt-only feed items (per source: `sources[].fullText`). */
export const fullTextSchema = z
  .strictObject({
    /** An item whose text has fewer words than this gets its page fetched (`fullText: auto`). */
    minWords: z.number().int().min(1).default(150),
    /** Pages fetched at once, across hosts. */
    maxConcurrent: z.number().int().min(1).max(32).default(4),
    /** Pause between two requests to the same host (robots.txt included). */
    perHostDelay: duration('1s'),
    /** The robots.txt product token looked for before `*`. */
    robotsAgent: z
      .string()
      .regex(/^[A-Za-z_-]+$/)
      .default('tidings'),
  })
  .prefault({});

/**
 * The budget of one page's parse (pre-pass and Readability, in a worker thread), on
 * top of the fetch timeout: a page over it fails its source, or is flattened.
 */
export const parseLimitsSchema = z
  .strictObject({
    /** Wall time for one page's parse; the worker is stopped past it (SOURCE_PARSE_TIMEOUT). */
    timeout: duration('20s'),
    /** Elements nested deeper than this are flattened into their ancestor at this depth. */
    maxDepth: z.number().int().min(8).max(1024).default(128),
    /** A page with more elements fails (SOURCE_TOO_COMPLEX) before any DOM is built. */
    maxElements: z.number().int().min(100).default(50_000),
    /** Characters of page text kept; the rest of a longer page is left out, with a warning. */
    maxText: z.number().int().min(1000).default(500_000),
    /** Heap of the parsing worker; a page that needs more fails (SOURCE_TOO_COMPLEX). */
    maxMemory: size('96MB'),
  })
  .prefault({});

/** The default instruction; `{maxWords}` is replaced by the newsletter's word budget. */
export const DEFAULT_LLM_PROMPT =
  'Summarize the news article below in at most {maxWords} words, in the language of the article. ' +
  'State the facts it reports; add nothing it does not say. Answer with the summary only: plain text, no title, no markup, no preamble.';

/**
 * Abstractive summaries from an OpenAI-compatible chat-completions endpoint (Ollama,
 * llama.cpp server, vLLM, a hosted API), used when an edition is built; the extractive
 * summary stands in whenever the model fails (docs/summaries.md). Absent: no model.
 */
export const llmSummarySchema = z.strictObject({
  /** Up to the API version, e.g. http://127.0.0.1:11434/v1 (Ollama); `/chat/completions` is appended. */
  baseUrl: httpUrl.refine((value) => !/^[a-z]+:\/\/[^/?#]*@/i.test(value), {
    message: 'must not hold credentials (user:password@): give the key as apiKey from the environment',
  }),
  model: z.string().trim().min(1),
  /**
   * Sent as `Authorization: Bearer …`; only as an environment reference (`${LLM_API_KEY}`),
   * checked in load-config.ts. Absent: no Authorization header (local servers need none).
   */
  apiKey: z.string().min(1).optional(),
  /** One request, from connect to the last byte of the answer. */
  timeout: duration('60s'),
  /** Requests in flight at once (a local model serves one or two well). */
  maxConcurrent: z.number().int().min(1).max(32).default(2),
  /** The instruction sent as the system message; `{maxWords}` becomes the word budget. */
  prompt: z.string().trim().min(1).default(DEFAULT_LLM_PROMPT),
  /** Characters of article text sent (the beginning of the article); small models have small contexts. */
  maxInputChars: z.number().int().min(500).max(200_000).default(12_000),
});

export const summarySchema = z
  .strictObject({
    maxWords: z.number().int().min(10).max(400).default(60),
    minSentences: z.number().int().min(1).max(10).default(2),
    maxSentences: z.number().int().min(1).max(10).default(3),
    /** Use the source's own description when it is a real summary (see docs/configuration.md). */
    preferSourceDescription: z.boolean().default(true),
    llm: llmSummarySchema.optional(),
  })
  .prefault({});

/**
 * The story clustering's defaults (editions/cluster-stories.ts): kept with the schema that
 * offers them as `dedupe`, so configuration does not reach up into the editions code.
 */
export const DEFAULT_CLUSTER_OPTIONS: { readonly threshold: number; readonly leadWords: number } = {
  threshold: 0.4,
  leadWords: 80,
};

/** Near-duplicate stories from different sources, collapsed when an edition is built. */
export const dedupeSchema = z
  .strictObject({
    /** Jaccard similarity of title+lead word shingles at which two articles are one story; 1 keeps only near-identical ones. */
    threshold: z.number().gt(0).max(1).default(DEFAULT_CLUSTER_OPTIONS.threshold),
    /** Words of the lead (description, then text) compared besides the title. */
    leadWords: z.number().int().min(10).max(1000).default(DEFAULT_CLUSTER_OPTIONS.leadWords),
  })
  .prefault({});

export const classifierSchema = z
  .strictObject({
    /** At or above this probability an article is labelled whatever `labelShare` says. */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /**
     * Share of the articles to classify (the self-training pool) labelled even below
     * `minConfidence`: all but the least sure (issue 25); 0 leaves `minConfidence` alone.
     */
    labelShare: z.number().min(0).max(1).default(0.98),
    /** The classifier needs at least this many labelled articles per category to predict it. */
    minExamples: z.number().int().min(1).default(3),
    /**
     * Most of the store's articles without a category the classifier self-trains on
     * (the newest). More costs fit time (about 0.3 s of CPU per 1000 on a 3000-article
     * store), 0 turns self-training off.
     */
    maxUnlabelled: z.number().int().min(0).max(20000).default(1000),
  })
  .prefault({});
