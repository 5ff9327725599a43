import { createHash } from 'node:crypto';
import type { LlmSummaryOptions } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import { createConcurrencyLimit, type ConcurrencyLimit } from '../../core/concurrency-limit.ts';
import type { Logger } from '../../core/logger.ts';
import type { LlmSummaryCacheStore, LlmSummaryKey } from './llm-summary-cache-store.ts';
import { ModelCallError, type ChatCompletion, type ChatMessage, type ModelFailure } from './chat-completions-client.ts';
import { cleanModelText, countWords } from './clean-model-text.ts';

/**
 * Who wrote an article's summary in an edition: the offline summarizer (`extractive`,
 * which also covers a source's own description and the lead), a model (`llm:<model>`),
 * or an editor who rewrote it (`editor`).
 */
export type SummaryEngine = 'extractive' | 'editor' | `llm:${string}`;

export interface EngineSummary {
  summary: string | null;
  engine: SummaryEngine;
}

export interface SummaryArticle {
  id: string;
  title: string;
  text: string;
  description: string | null;
  contentHash: string;
}

/** An answer longer than the word budget times this is refused (models overshoot a little; a ramble is not a summary). */
export const OVERLONG_SLACK = 1.5;

export interface LlmSummaryEngineDeps {
  options: LlmSummaryOptions;
  complete: ChatCompletion;
  cache: LlmSummaryCacheStore;
  logger: Logger;
  clock: Clock;
}

/**
 * Abstractive summaries with the extractive one as the fallback. Each article version
 * is sent once per (model, prompt, options): answers are cached in the store; failures
 * are not, so the next build asks again. At most `maxConcurrent` requests are in flight
 * across every caller of one engine.
 */
export class LlmSummaryEngine {
  readonly engine: SummaryEngine;
  readonly #deps: LlmSummaryEngineDeps;
  readonly #limit: ConcurrencyLimit;

  constructor(deps: LlmSummaryEngineDeps) {
    this.#deps = deps;
    this.engine = `llm:${deps.options.model}`;
    this.#limit = createConcurrencyLimit(deps.options.maxConcurrent);
  }

  /** The model's summary within `maxWords`, or `fallback()` (extractive) with a warning naming the article and the reason. */
  async summarize(
    article: SummaryArticle,
    maxWords: number,
    fallback: () => Promise<string | null>,
  ): Promise<EngineSummary> {
    const body = (article.text || article.description || '').trim();
    // Nothing to summarize: the model would only invent.
    if (!body) return { summary: await fallback(), engine: 'extractive' };
    const messages = this.#messages(article, body, maxWords);
    const key: LlmSummaryKey = {
      contentHash: article.contentHash,
      model: this.#deps.options.model,
      variant: variantOf(messages[0]!.content, maxWords, this.#deps.options.maxInputChars),
    };
    const cached = await this.#deps.cache.getLlmSummary(key);
    if (cached) return { summary: cached, engine: this.engine };
    try {
      const summary = await this.#limit(() => this.#ask(messages, maxWords));
      await this.#deps.cache.putLlmSummary(key, summary, this.#deps.clock.now());
      return { summary, engine: this.engine };
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      this.#deps.logger.warn(
        {
          article: article.id,
          title: article.title,
          model: this.#deps.options.model,
          reason: error.reason,
          detail: error.message,
        },
        `summary model failed for "${article.title}" (${article.id}): ${error.reason}; the extractive summary stands in`,
      );
      return { summary: await fallback(), engine: 'extractive' };
    }
  }

  async #ask(messages: ChatMessage[], maxWords: number): Promise<string> {
    const answer = await this.#deps.complete({ model: this.#deps.options.model, messages });
    const text = cleanModelText(answer.content);
    if (!text) throw new ModelCallError('empty', 'the model answered with no text');
    const limit = Math.ceil(maxWords * OVERLONG_SLACK);
    const words = countWords(text);
    if (words > limit)
      throw new ModelCallError(
        'too-long',
        `the answer has ${words} words, more than ${limit} (${maxWords} × ${OVERLONG_SLACK})`,
      );
    // Cut at the server's token limit: the summary ends mid-sentence.
    if (answer.finishReason === 'length') throw new ModelCallError('too-long', 'the answer was cut at the token limit');
    return text;
  }

  #messages(article: SummaryArticle, body: string, maxWords: number): ChatMessage[] {
    const { prompt, maxInputChars } = this.#deps.options;
    const text = body.length > maxInputChars ? body.slice(0, maxInputChars) : body;
    return [
      { role: 'system', content: prompt.replaceAll('{maxWords}', String(maxWords)) },
      { role: 'user', content: `Title: ${article.title}\n\n${text}` },
    ];
  }
}

/** The cache variant: the prompt as sent and the options that shape the answer. */
function variantOf(systemPrompt: string, maxWords: number, maxInputChars: number): string {
  return createHash('sha256')
    .update(JSON.stringify({ systemPrompt, maxWords, maxInputChars }))
    .digest('hex')
    .slice(0, 32);
}

export type { ModelFailure };
