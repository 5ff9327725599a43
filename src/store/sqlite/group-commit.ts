import type { SqliteDatabase } from './open-database.ts';

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes asked for in the same turn of the event loop (several delivery
 * workers claiming or recording at once) run in one transaction, so the WAL is written
 * once for all of them instead of once each. Each caller's promise settles only after
 * the transaction that holds its write has committed: a claim is still made before its
 * SMTP call, an outcome still recorded before the caller goes on.
 *
 * If the batch fails, nothing of it was written; each write then runs in a transaction
 * of its own, so only the write that fails is refused (and its caller retries as before).
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;
  /**
   * Made once: better-sqlite3's transaction() wraps the function anew on every call,
   * a cost paid per flush otherwise (about 1% of a send's CPU).
   */
  private readonly runBatch: (batch: Queued[], results: unknown[]) => void;
  private readonly runOne: (work: () => unknown) => unknown;

  constructor(db: SqliteDatabase) {
    const batch = db.transaction((items: Queued[], results: unknown[]) => {
      for (const item of items) results.push(item.work());
    });
    const one = db.transaction((work: () => unknown) => work());
    this.runBatch = (items, results) => batch.immediate(items, results);
    this.runOne = (work) => one.immediate(work);
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 1) {
      this.runAlone(batch[0]!);
      return;
    }
    const results: unknown[] = [];
    try {
      this.runBatch(batch, results);
    } catch {
      for (const item of batch) this.runAlone(item);
      return;
    }
    batch.forEach((item, i) => {
      item.resolve(results[i]);
    });
  }

  private runAlone(item: Queued): void {
    try {
      item.resolve(this.runOne(item.work));
    } catch (error) {
      item.reject(error);
    }
  }
}
