import { CategoryMapper } from '../ingest/category-mapper.ts';
import type { IngestDeps } from '../ingest/ingest-sources.ts';
import type { PageExtractor } from '../ingest/page/page-extractor.ts';
import { readSource } from '../ingest/read-source.ts';
import type { AppContext } from './context.ts';
import { createEnricher } from './create-enricher.ts';

/** `pages` is the caller's: it owns the extraction worker and closes it when done. */
export async function createIngestDeps(ctx: AppContext, pages: PageExtractor): Promise<IngestDeps> {
  return {
    store: ctx.store.articles,
    clock: ctx.clock,
    logger: ctx.logger,
    mapper: new CategoryMapper(ctx.config.categories),
    enricher: await createEnricher(ctx),
    readSource: (source) => readSource(source, { baseDir: ctx.baseDir, http: ctx.http, pages }),
  };
}
