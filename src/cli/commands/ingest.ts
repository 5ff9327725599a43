import { appOperations } from '../../app/app-operations.ts';
import type { AppContext } from '../../app/context.ts';
import { createEnricher } from '../../app/create-enricher.ts';
import { toPublicArticle, type Article } from '../../core/article.ts';
import { UsageError } from '../../core/errors.ts';
import { ingestDueSources } from '../../app/ingest-due-sources.ts';
import { formatIngestReports, reportsOf } from '../../app/ingest-report-lines.ts';
import { inspectInputs } from '../../ingest/inspect-inputs.ts';
import { createPageExtractor } from '../../ingest/page/page-extractor.ts';
import { parseSince } from '../../core/duration.ts';
import { formatArticleLines } from '../format-articles.ts';

/** Every chosen source now, due or not; URL sources conditionally unless `full`. */
export async function runIngest(ctx: AppContext, options: { source?: string; full?: boolean }): Promise<number> {
  let sources = ctx.config.sources.filter((source) => source.enabled);
  if (options.source) {
    sources = ctx.config.sources.filter((source) => source.name === options.source);
    if (sources.length === 0) throw new UsageError(`no source named "${options.source}" in ${ctx.configFile}`);
  }
  const results = await ingestDueSources(ctx, ctx.clock.now(), { force: true, full: options.full, sources });
  const reports = reportsOf(results);
  for (const line of formatIngestReports(reports)) ctx.out(line);
  return reports.every((report) => report.ok) ? 0 : 1;
}

export async function runInspect(ctx: AppContext, inputs: string[], options: { json?: boolean }): Promise<number> {
  const enricher = await createEnricher(ctx);
  const pages = createPageExtractor(ctx.config.parse);
  let results: Awaited<ReturnType<typeof inspectInputs>>;
  try {
    results = await inspectInputs(inputs, { http: ctx.http, categories: ctx.config.categories, enricher, pages });
  } finally {
    await pages.close();
  }
  let failed = false;
  const articles: Article[] = [];
  for (const result of results) {
    if ('error' in result) {
      failed = true;
      // Parser errors usually name the input already; say it once. The code as everywhere: `error: [CODE] …`.
      ctx.err(
        `error: [${result.code}] ${result.error.includes(result.input) ? result.error : `${result.input}: ${result.error}`}`,
      );
      continue;
    }
    articles.push(...result.articles.map(toPublicArticle));
    // What the parser recovered, flattened or left out, on stderr so --json stays clean.
    for (const warning of result.warnings) ctx.err(`warning: ${result.input}: ${warning}`);
    if (!options.json) {
      ctx.out(
        `# ${result.input} (${result.kind}, ${result.articles.length} article${result.articles.length === 1 ? '' : 's'})`,
      );
      for (const line of formatArticleLines(result.articles, { withText: true })) ctx.out(line);
    }
  }
  if (options.json) ctx.out(JSON.stringify(articles, null, 2));
  return failed ? 1 : 0;
}

export async function runArticles(
  ctx: AppContext,
  options: { category?: string; since?: string; json?: boolean; uncategorized?: boolean; limit?: string },
): Promise<number> {
  const since = options.since ? parseSince(options.since, ctx.clock.now()) : undefined;
  if (since === null)
    throw new UsageError(`--since: "${options.since}" is neither a duration (24h, 7d) nor an ISO time`);
  const limit = options.limit ? Number(options.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError('--limit: must be a positive integer');
  const articles = await appOperations(ctx).articles.list({
    category: options.category,
    since,
    uncategorized: options.uncategorized,
    limit,
  });
  if (options.json) ctx.out(JSON.stringify(articles.map(toPublicArticle), null, 2));
  else {
    for (const line of formatArticleLines(articles, { withText: false })) ctx.out(line);
    ctx.out(`${articles.length} article${articles.length === 1 ? '' : 's'}`);
  }
  return 0;
}

export async function runClassify(ctx: AppContext, options: { retrain?: boolean }): Promise<number> {
  const enricher = await createEnricher(ctx);
  const report = await appOperations(ctx).articles.reclassify(enricher, { retrain: Boolean(options.retrain) });
  ctx.out(`${report.examined} article(s) examined`);
  for (const [category, count] of Object.entries(report.perCategory).sort((a, b) => b[1] - a[1])) {
    ctx.out(`  ${category.padEnd(16)} ${count}`);
  }
  return 0;
}
