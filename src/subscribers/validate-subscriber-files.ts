import { createMemoryRowSink, scanSubscriberFiles } from './scan-subscriber-files.ts';
import type { SubscriberFileProblem } from './subscriber-file-problem.ts';
import { createSubscriberCatalog, type SubscriberCatalog } from './subscriber-row.ts';

export interface SubscriberValidation {
  /** Valid rows (an address listed twice counts twice). */
  rows: number;
  errors: SubscriberFileProblem[];
  warnings: SubscriberFileProblem[];
}

/**
 * Checks every list without touching the store. `knownNewsletters` may be a map
 * id → that newsletter's categories, which also checks chosen categories per newsletter.
 */
export async function validateSubscriberFiles(
  paths: readonly string[],
  knownNewsletters: Iterable<string> | ReadonlyMap<string, readonly string[]> | SubscriberCatalog,
  knownCategories: Iterable<string> = [],
): Promise<SubscriberValidation> {
  const catalog = isCatalog(knownNewsletters) ? knownNewsletters : createSubscriberCatalog(knownNewsletters, knownCategories);
  const report = await scanSubscriberFiles(paths, catalog, createMemoryRowSink());
  return { rows: report.rows, errors: report.errors, warnings: report.warnings };
}

function isCatalog(value: unknown): value is SubscriberCatalog {
  return typeof value === 'object' && value !== null && 'categoriesOf' in value && 'newsletters' in value;
}
