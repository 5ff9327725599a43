import { createMemoryRowSink, scanSubscriberFiles } from './scan-subscriber-files.ts';
import type { SubscriberFileProblem } from './subscriber-file-problem.ts';
import { createSubscriberCatalog, type SubscriberCatalog } from './subscriber-row.ts';
import type { StagedSubscriber } from './subscriber-store.ts';

export interface SubscriberValidation {
  /** Valid rows (an address listed twice counts twice). */
  rows: number;
  errors: SubscriberFileProblem[];
  warnings: SubscriberFileProblem[];
}

/**
 * Checks every list without touching the store. `knownNewsletters` may be a map
 * id → that newsletter's categories, which also checks chosen categories per newsletter.
 * `onRow` sees each valid row as it is read.
 */
export async function validateSubscriberFiles(
  paths: readonly string[],
  knownNewsletters: Iterable<string> | ReadonlyMap<string, readonly string[]> | SubscriberCatalog,
  knownCategories: Iterable<string> = [],
  onRow?: (row: StagedSubscriber) => void,
): Promise<SubscriberValidation> {
  const catalog = isCatalog(knownNewsletters)
    ? knownNewsletters
    : createSubscriberCatalog(knownNewsletters, knownCategories);
  const memory = createMemoryRowSink();
  // Each valid row is also shown to `onRow` (validate checks who would receive nothing).
  const sink = onRow
    ? {
        ...memory,
        stage: async (rows: readonly StagedSubscriber[]) => {
          for (const row of rows) onRow(row);
          return memory.stage(rows);
        },
      }
    : memory;
  const report = await scanSubscriberFiles(paths, catalog, sink);
  return { rows: report.rows, errors: report.errors, warnings: report.warnings };
}

function isCatalog(value: unknown): value is SubscriberCatalog {
  return typeof value === 'object' && value !== null && 'categoriesOf' in value && 'newsletters' in value;
}
