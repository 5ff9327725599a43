import type { SourceConfig } from '../config/schema.ts';
import { describeError } from '../core/errors.ts';
import { ingestSources, type SourceReport } from '../ingest/ingest-sources.ts';
import { readSource } from '../ingest/read-source.ts';
import type { HttpValidators } from '../ingest/types.ts';
import type { SourceFetchState } from '../ingest/source-state-store.ts';
import type { AppContext } from './context.ts';
import { createIngestDeps } from './create-ingest-deps.ts';
import { createPageExtractor, type PageExtractor } from '../ingest/page/page-extractor.ts';
import { createFullTextFetcher, type FullTextDeps } from '../ingest/fulltext/fetch-full-text.ts';

export interface DueIngestOptions {
  /** Ingest every chosen source whether or not its `every` has elapsed (before an edition, `tidings ingest`). */
  force?: boolean;
  /** Ignore the stored validators: fetch and parse everything, as on a first run. */
  full?: boolean;
  /** The sources to consider; default every enabled source of the configuration. */
  sources?: readonly SourceConfig[];
  /** A page extractor to share (the scheduler keeps one); default one for this call, closed at its end. */
  pages?: PageExtractor;
  /** Replaces parts of the full-text fetch (tests: the per-host wait). */
  fullText?: Pick<FullTextDeps, 'sleep'>;
}

export interface SourceIngestResult {
  source: string;
  /** False when the source's `every` had not elapsed and it was left alone. */
  due: boolean;
  /** The ingest report, or null when the source was not due. */
  report: SourceReport | null;
  /** When the source is due again: its `every` after this attempt (or after the last one). */
  nextDueAt: string;
}

/**
 * Ingests the sources whose own interval (`sources[].every`) has elapsed since their
 * last attempt, or all of them when forced. URL sources are fetched conditionally
 * with the validators of their last complete response, so an unchanged feed costs one
 * 304. Each source's fetch state is recorded after its articles are saved: a failure
 * records the error and leaves the stored validators as they were, so a half-read
 * response can never make the next fetch skip content it did not ingest.
 */
export async function ingestDueSources(
  ctx: AppContext,
  now: Date,
  options: DueIngestOptions = {},
): Promise<SourceIngestResult[]> {
  const sources = options.sources ?? ctx.config.sources.filter((source) => source.enabled);
  const states = new Map((await ctx.store.sources.listStates()).map((state) => [state.source, state]));
  const due = sources.filter((source) => options.force || isDue(source, states.get(source.name), now));
  const dueNames = new Set(due.map((source) => source.name));

  const results = new Map<string, SourceIngestResult>();
  for (const source of sources) {
    if (dueNames.has(source.name)) continue;
    const nextDueAt = dueAt(source, states.get(source.name)) ?? now;
    ctx.logger.debug({ source: source.name, nextDueAt: nextDueAt.toISOString() }, 'source not due yet');
    results.set(source.name, { source: source.name, due: false, report: null, nextDueAt: nextDueAt.toISOString() });
  }

  if (due.length > 0) {
    const pages = options.pages ?? createPageExtractor(ctx.config.parse);
    try {
      await ingestDue(ctx, now, due, states, results, pages, options);
    } finally {
      if (!options.pages) await pages.close();
    }
  }
  return sources.map((source) => results.get(source.name)!);
}

async function ingestDue(
  ctx: AppContext,
  now: Date,
  due: readonly SourceConfig[],
  states: ReadonlyMap<string, SourceFetchState>,
  results: Map<string, SourceIngestResult>,
  pages: PageExtractor,
  options: DueIngestOptions,
): Promise<void> {
  {
    const full = options.full ?? false;
    const deps = await createIngestDeps(ctx, pages);
    const fullText = createFullTextFetcher({
      http: ctx.http,
      options: ctx.config.fullText,
      pages,
      cache: ctx.store.pages,
      clock: ctx.clock,
      ...options.fullText,
    });
    const responseValidators = new Map<string, HttpValidators | undefined>();
    deps.readSource = async (source) => {
      const state = states.get(source.name);
      // Validators belong to one URL: a source pointed elsewhere starts without them.
      const url = sourceUrl(source);
      const validators = !full && url && state && state.location === url ? state.validators : null;
      const content = await readSource(source, { baseDir: ctx.baseDir, http: ctx.http, validators, pages });
      responseValidators.set(source.name, content.validators);
      if (source.type !== 'feed' || content.notModified) return content;
      // Excerpt-only items get their page's text; a page that fails leaves the excerpt.
      const completed = await fullText.completeDrafts(content.drafts, source.fullText);
      return { ...content, drafts: completed.drafts, warnings: [...content.warnings, ...completed.warnings] };
    };
    for (const source of due) {
      const [report] = await ingestSources([source], deps);
      await recordOutcome(ctx, source, report!, now, responseValidators.get(source.name));
      results.set(source.name, {
        source: source.name,
        due: true,
        report: report!,
        nextDueAt: new Date(now.getTime() + source.every).toISOString(),
      });
    }
  }
}

function sourceUrl(source: SourceConfig): string | null {
  return source.type === 'folder' ? null : (source.url ?? null);
}

function isDue(source: SourceConfig, state: SourceFetchState | undefined, now: Date): boolean {
  const at = dueAt(source, state);
  return at === null || at.getTime() <= now.getTime();
}

/** Null when the source was never fetched (due at once). */
function dueAt(source: SourceConfig, state: SourceFetchState | undefined): Date | null {
  if (!state?.lastFetchedAt) return null;
  return new Date(Date.parse(state.lastFetchedAt) + source.every);
}

async function recordOutcome(
  ctx: AppContext,
  source: SourceConfig,
  report: SourceReport,
  at: Date,
  validators: HttpValidators | undefined,
): Promise<void> {
  try {
    if (!report.ok) {
      await ctx.store.sources.recordFailure(source.name, at, {
        error: report.error ?? 'unknown error',
        errorCode: report.errorCode ?? 'UNEXPECTED',
      });
      return;
    }
    const location = sourceUrl(source) ?? source.path ?? null;
    // A 304 repeats the validators we sent (keep them); a 200 brings new ones, or none.
    await ctx.store.sources.recordSuccess(source.name, at, {
      location,
      validators: report.notModified ? null : (validators ?? { etag: null, lastModified: null }),
    });
  } catch (error) {
    // The articles are saved; losing the fetch state only costs a full fetch next time.
    ctx.logger.error({ source: source.name, err: describeError(error) }, 'could not record the source fetch state');
  }
}
