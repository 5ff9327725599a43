import type { SourceReport } from '../ingest/ingest-sources.ts';
import type { SourceIngestResult } from './ingest-due-sources.ts';

/** One line per source, then its warnings (content recovered, flattened or left out), indented. */
export function formatIngestReports(reports: readonly SourceReport[]): string[] {
  const width = Math.max(6, ...reports.map((r) => r.source.length));
  return reports.flatMap((r) => [
    r.ok && r.notModified
      ? `${r.source.padEnd(width)}  ok      not modified (HTTP 304)`
      : r.ok
        ? `${r.source.padEnd(width)}  ok      new ${r.new}, updated ${r.updated}, unchanged ${r.unchanged}, duplicate ${r.duplicate}`
        : `${r.source.padEnd(width)}  FAILED  ${r.error}`,
    ...r.warnings.map((warning) => `${' '.repeat(width)}  warning ${warning}`),
  ]);
}

/** The reports of the sources that ran (a source not due has none). */
export function reportsOf(results: readonly SourceIngestResult[]): SourceReport[] {
  return results.flatMap((result) => (result.report ? [result.report] : []));
}
