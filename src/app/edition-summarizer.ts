import type { NewsletterConfig, SummaryOptions } from '../config/schema.ts';
import { createChatCompletionsClient } from '../content/llm/chat-completions-client.ts';
import { LlmSummaryEngine } from '../content/llm/llm-summary-engine.ts';
import { CachedSummarizer } from '../content/article-enricher.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { AppContext } from './context.ts';

export type EditionSummarize = (article: StoredArticle) => Promise<{ summary: string | null; engine: string }>;

// One engine per context: its concurrency limit holds across every edition the process builds.
const engines = new WeakMap<AppContext, LlmSummaryEngine>();

function llmEngineFor(ctx: AppContext): LlmSummaryEngine | null {
  const options = ctx.config.summaries.llm;
  if (!options) return null;
  let engine = engines.get(ctx);
  if (!engine) {
    engine = new LlmSummaryEngine({
      options,
      complete: createChatCompletionsClient({
        baseUrl: options.baseUrl,
        apiKey: options.apiKey,
        timeoutMs: options.timeout,
      }),
      cache: ctx.store.llmSummaries,
      logger: ctx.logger,
      clock: ctx.clock,
    });
    engines.set(ctx, engine);
  }
  return engine;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * How an edition summarizes the articles it chose: the model when `summaries.llm` is set
 * (the extractive summary as its fallback), else the extractive summarizer with the
 * newsletter's own limits when it sets any, else nothing (ingest's summary stands).
 */
export function editionSummarizer(ctx: AppContext, newsletter: NewsletterConfig): EditionSummarize | undefined {
  const options: SummaryOptions = { ...ctx.config.summaries, ...stripUndefined(newsletter.summary ?? {}) };
  const extractive = newsletter.summary ? new CachedSummarizer(ctx.store.articles, options) : null;
  const fallback = async (article: StoredArticle) =>
    extractive ? await extractive.summaryOf(article) : article.summary;
  const llm = llmEngineFor(ctx);
  if (llm) return (article) => llm.summarize(article, options.maxWords, () => fallback(article));
  if (extractive) return async (article) => ({ summary: await fallback(article), engine: 'extractive' });
  return undefined;
}
