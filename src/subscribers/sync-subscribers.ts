import { scanSubscriberFiles } from './scan-subscriber-files.ts';
import type { SubscriberFileProblem } from './subscriber-file-problem.ts';
import type { SubscriberCatalog } from './subscriber-row.ts';
import type { SubscriberStore, SyncCounts } from './subscriber-store.ts';

export interface SyncSubscribersOptions {
  /** The sync's time, recorded on changed rows. */
  now: Date;
  /** Apply the valid rows even when some are bad (the bad ones are listed as skipped). */
  skipInvalid?: boolean;
  /** Rows staged per transaction while reading. */
  batchSize?: number;
}

export interface SyncSubscribersReport extends SyncCounts {
  /** False when the sync was refused: nothing was written. */
  applied: boolean;
  /** Valid rows read. */
  rows: number;
  /** Bad rows left out (with --skip-invalid). */
  skipped: number;
  errors: SubscriberFileProblem[];
  warnings: SubscriberFileProblem[];
  /**
   * True when some file could not be read at all: then nobody is marked removed,
   * since their rows may simply not have been read.
   */
  removalSkipped: boolean;
}

/**
 * Brings the store in line with the lists in one pass over the files: rows are staged
 * as they are read and applied in one transaction at the end, or not at all.
 * With errors and without `skipInvalid` the sync is refused and the store is untouched.
 */
export async function syncSubscribers(
  store: SubscriberStore,
  paths: readonly string[],
  catalog: SubscriberCatalog | null,
  options: SyncSubscribersOptions,
): Promise<SyncSubscribersReport> {
  const session = await store.beginSync();
  let scan: Awaited<ReturnType<typeof scanSubscriberFiles>>;
  try {
    scan = await scanSubscriberFiles(paths, catalog, session, { batchSize: options.batchSize });
  } catch (error) {
    await session.discard();
    throw error;
  }
  const base = { rows: scan.rows, errors: scan.errors, warnings: scan.warnings, removalSkipped: scan.incomplete };
  if (scan.errors.length > 0 && !options.skipInvalid) {
    await session.discard();
    return { ...base, applied: false, added: 0, updated: 0, unchanged: 0, removed: 0, suppressed: 0, skipped: 0 };
  }
  const counts = await session.apply(options.now, { removeMissing: !scan.incomplete });
  return { ...base, ...counts, applied: true, skipped: scan.badRows };
}
