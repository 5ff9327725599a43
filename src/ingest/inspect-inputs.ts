import path from 'node:path';
import type { CategoryConfig } from '../config/schema.ts';
import { describeError, isTidingsError, type ErrorCode } from '../core/errors.ts';
import type { HttpClient } from '../core/http/http-client.ts';
import type { ArticleRecord } from '../core/stored-article.ts';
import { isHttpUrl } from '../core/http-url.ts';
import { CategoryMapper } from './category-mapper.ts';
import type { ArticleEnricher } from './ingest-sources.ts';
import { normalizeDraft } from './normalize-article.ts';
import type { PageExtractor } from './page/page-extractor.ts';
import { parseResource } from './parse-input.ts';
import { readInput } from './read-input.ts';
import type { InputKind } from './types.ts';

export type InspectResult =
  | { input: string; kind: InputKind; articles: ArticleRecord[]; warnings: string[] }
  | { input: string; error: string; code: ErrorCode | 'UNEXPECTED' };

function sourceNameFor(input: string, siteName: string | null): string {
  if (siteName) return siteName;
  if (isHttpUrl(input)) return new URL(input).hostname;
  return path.basename(input);
}

/** Parses each input as ingest would, without storing; one result per input, in order. */
export async function inspectInputs(
  inputs: readonly string[],
  options: {
    http: HttpClient;
    categories: Record<string, CategoryConfig>;
    enricher: ArticleEnricher;
    pages: PageExtractor;
  },
): Promise<InspectResult[]> {
  const mapper = new CategoryMapper(options.categories);
  const results: InspectResult[] = [];
  for (const input of inputs) {
    try {
      const parsed = await parseResource(await readInput(input, options.http), { pages: options.pages });
      const records = parsed.drafts.map((draft) =>
        normalizeDraft(draft, { source: sourceNameFor(input, draft.siteName), defaultCategories: [], mapper }),
      );
      results.push({
        input,
        kind: parsed.kind,
        articles: await options.enricher.enrich(records),
        warnings: parsed.warnings,
      });
    } catch (error) {
      results.push({ input, error: describeError(error), code: isTidingsError(error) ? error.code : 'UNEXPECTED' });
    }
  }
  return results;
}
