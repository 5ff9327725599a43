import { describe, expect, it } from 'vitest';
import { useStore, type OpenStore } from './stores.ts';

/** The model-summary cache port (src/store/llm-summary-cache-store.ts). */
export function llmSummaryCacheContract(name: string, open: OpenStore): void {
  describe(`${name}: llmSummaries`, () => {
    const store = useStore(open);

    it('keeps one summary per content hash, model and variant, and replaces it', async () => {
      const { llmSummaries } = store();
      const key = { contentHash: 'h1', model: 'llama3.2:3b', variant: 'v1' };
      expect(await llmSummaries.getLlmSummary(key)).toBeNull();
      await llmSummaries.putLlmSummary(
        key,
        'Ferries stop as a gale — “worst in years” — hits the bay.',
        new Date('2026-12-01T08:00:00Z'),
      );
      await llmSummaries.putLlmSummary(
        { ...key, model: 'qwen2.5' },
        'Another model.',
        new Date('2026-12-01T08:00:00Z'),
      );
      expect(await llmSummaries.getLlmSummary(key)).toBe('Ferries stop as a gale — “worst in years” — hits the bay.');
      expect(await llmSummaries.getLlmSummary({ ...key, variant: 'v2' })).toBeNull();
      expect(await llmSummaries.getLlmSummary({ ...key, contentHash: 'h2' })).toBeNull();
      await llmSummaries.putLlmSummary(key, 'Rewritten.', new Date('2026-12-01T09:00:00Z'));
      expect(await llmSummaries.getLlmSummary(key)).toBe('Rewritten.');
      expect(await llmSummaries.getLlmSummary({ ...key, model: 'qwen2.5' })).toBe('Another model.');
    });
  });
}
