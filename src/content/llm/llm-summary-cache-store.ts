/**
 * Summaries written by a language model, so each article version is sent to the model
 * once. The key is the article's content hash, the model, and `variant`: a hash of the
 * prompt and options that shape the answer (a changed prompt asks again). Consumed by
 * the LLM summary engine (src/content/llm/llm-summary-engine.ts).
 */
export interface LlmSummaryKey {
  contentHash: string;
  model: string;
  variant: string;
}

export interface LlmSummaryCacheStore {
  getLlmSummary(key: LlmSummaryKey): Promise<string | null>;
  /** Inserts or replaces the summary of `key`. */
  putLlmSummary(key: LlmSummaryKey, summary: string, at: Date): Promise<void>;
}
