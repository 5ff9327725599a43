import { readSubscriberRows } from './read-subscriber-rows.ts';
import type { SubscriberFileProblem } from './subscriber-file-problem.ts';
import { cadenceForNewsletter } from './subscriber-row-cadence.ts';
import { categoriesForNewsletter, type SubscriberCatalog, type SubscriberRow } from './subscriber-row.ts';
import type { StagedSubscriber } from './subscriber-store.ts';

export interface SubscriberPlace {
  file: string;
  line: number;
}

/**
 * Where valid rows go while the files are read: it merges repeated addresses and says
 * where each one was seen before. `validate` uses an in-memory sink, `sync` the store's
 * staging tables (so that a list of any size is read in bounded memory).
 */
export interface SubscriberRowSink {
  stage(rows: readonly StagedSubscriber[]): Promise<(SubscriberPlace | null)[]>;
  /** Addresses of rows that were invalid: a sync leaves those subscribers as they are. */
  keep(emails: readonly string[]): Promise<void>;
}

export interface SubscriberScanReport {
  /** Valid rows read (an address listed twice counts twice). */
  rows: number;
  /** Bad rows and unreadable files, in file order. */
  errors: SubscriberFileProblem[];
  /** Addresses listed more than once (merged). */
  warnings: SubscriberFileProblem[];
  /** Bad rows (not counting whole-file problems). */
  badRows: number;
  /** Some file (or the rest of one) could not be read at all. */
  incomplete: boolean;
}

export function toStagedSubscriber(
  row: SubscriberRow,
  place: SubscriberPlace,
  catalog: SubscriberCatalog | null,
): StagedSubscriber {
  return {
    email: row.email,
    name: row.name,
    firstName: row.firstName,
    languages: row.languages,
    locale: row.locale,
    timezone: row.timezone,
    status: row.status,
    subscriptions: row.newsletters.map((newsletterId) => ({
      newsletterId,
      categories: categoriesForNewsletter(row, newsletterId, catalog),
      cadence: cadenceForNewsletter(row, newsletterId, catalog),
    })),
    file: place.file,
    line: place.line,
  };
}

/** Reads every list once, in batches, handing valid rows to the sink. */
export async function scanSubscriberFiles(
  paths: readonly string[],
  catalog: SubscriberCatalog | null,
  sink: SubscriberRowSink,
  options: { batchSize?: number } = {},
): Promise<SubscriberScanReport> {
  const batchSize = options.batchSize ?? 2000;
  const report: SubscriberScanReport = { rows: 0, errors: [], warnings: [], badRows: 0, incomplete: false };
  let batch: StagedSubscriber[] = [];
  let kept: string[] = [];

  const flush = async () => {
    if (batch.length > 0) {
      const earlier = await sink.stage(batch);
      earlier.forEach((place, i) => {
        if (!place) return;
        const row = batch[i]!;
        report.warnings.push({
          file: row.file,
          line: row.line,
          message: `${row.email} is also listed at ${place.file}:${place.line}; merged (newsletters joined, this row's other fields win)`,
        });
      });
      batch = [];
    }
    if (kept.length > 0) {
      await sink.keep(kept);
      kept = [];
    }
  };

  for await (const item of readSubscriberRows(paths, catalog)) {
    if ('error' in item) {
      report.errors.push(item.error);
      if (item.wholeFile) report.incomplete = true;
      else report.badRows += 1;
      if (item.email) kept.push(item.email);
      continue;
    }
    report.rows += 1;
    batch.push(toStagedSubscriber(item.row, item, catalog));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return report;
}

/**
 * A sink for validation without a store. It remembers one number per address, not the
 * rows, yet still grows with the list: sync uses the store's staging tables instead.
 */
export function createMemoryRowSink(): SubscriberRowSink {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const seen = new Map<string, number>();
  return {
    async stage(rows) {
      return rows.map((row) => {
        let index = fileIndex.get(row.file);
        if (index === undefined) {
          index = files.push(row.file) - 1;
          fileIndex.set(row.file, index);
        }
        const previous = seen.get(row.email);
        seen.set(row.email, index * 2 ** 32 + row.line);
        if (previous === undefined) return null;
        return { file: files[Math.floor(previous / 2 ** 32)]!, line: previous % 2 ** 32 };
      });
    },
    async keep() {},
  };
}
