import type { ArticleEnricher } from '../ingest/ingest-sources.ts';
import type { AppContext } from './context.ts';

/** Provisional: summaries and classification are wired in when content/ lands. */
export async function createEnricher(_ctx: AppContext): Promise<ArticleEnricher> {
  return { enrich: async (records) => records };
}
