import type { SourceConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { describeError, isTidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { ArticleStore } from './article-store.ts';
import type { ArticleRecord } from '../core/stored-article.ts';
import type { CategoryMapper } from './category-mapper.ts';
import { normalizeDraft } from './normalize-article.ts';
import type { SourceContent } from './read-source.ts';

/** Fills summaries and classifies articles that have no configured category. */
export interface ArticleEnricher {
  enrich(records: ArticleRecord[]): Promise<ArticleRecord[]>;
}

export interface SourceReport {
  source: string;
  ok: boolean;
  /** The server answered 304 to a conditional request: nothing was parsed or saved. */
  notModified: boolean;
  new: number;
  updated: number;
  unchanged: number;
  duplicate: number;
  error: string | null;
  errorCode: string | null;
  warnings: string[];
}

export interface IngestDeps {
  store: ArticleStore;
  clock: Clock;
  logger: Logger;
  mapper: CategoryMapper;
  enricher: ArticleEnricher;
  readSource: (source: SourceConfig) => Promise<SourceContent>;
}

/** Within one source the same story may appear twice (a feed listing it in two places). */
function dedupeById(records: ArticleRecord[]): ArticleRecord[] {
  const seen = new Map<string, ArticleRecord>();
  for (const record of records) if (!seen.has(record.id)) seen.set(record.id, record);
  return [...seen.values()];
}

/**
 * Ingests each source on its own: read, normalize, summarize, classify, save in one
 * transaction. A failing source is reported and leaves the store as it was; the
 * others carry on.
 */
export async function ingestSources(sources: readonly SourceConfig[], deps: IngestDeps): Promise<SourceReport[]> {
  const reports: SourceReport[] = [];
  for (const source of sources) {
    const report: SourceReport = {
      source: source.name,
      ok: true,
      notModified: false,
      new: 0,
      updated: 0,
      unchanged: 0,
      duplicate: 0,
      error: null,
      errorCode: null,
      warnings: [],
    };
    try {
      const content = await deps.readSource(source);
      report.warnings = content.warnings;
      if (content.notModified) {
        report.notModified = true;
        deps.logger.info({ source: source.name }, 'source not modified (304)');
        reports.push(report);
        continue;
      }
      const context = {
        source: source.name,
        sourceTitle: source.title,
        defaultCategories: source.categories,
        mapper: deps.mapper,
      };
      const records = dedupeById(content.drafts.map((draft) => normalizeDraft(draft, context)));
      const enriched = await deps.enricher.enrich(records);
      const saved = await deps.store.saveArticles(enriched, deps.clock.now());
      Object.assign(report, {
        new: saved.new,
        updated: saved.updated,
        unchanged: saved.unchanged,
        duplicate: saved.duplicate,
      });
      deps.logger.info({ source: source.name, ...saved, outcomes: undefined }, 'source ingested');
    } catch (error) {
      report.ok = false;
      report.error = describeError(error);
      report.errorCode = isTidingsError(error) ? error.code : 'UNEXPECTED';
      deps.logger.error({ source: source.name, code: report.errorCode, err: report.error }, 'source failed');
    }
    for (const warning of report.warnings) deps.logger.warn({ source: source.name }, warning);
    reports.push(report);
  }
  return reports;
}
