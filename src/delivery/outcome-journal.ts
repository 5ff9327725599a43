import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { TidingsError, describeError } from '../core/errors.ts';
import type { AcceptedRecord, FailedRecord, Ledger, SubscriberId } from './ledger.ts';

/**
 * An outcome the server gave (a 250, a refusal) that the store could not record (disk
 * full, I/O error, locked). Losing a 250 would leave the row ambiguous and invite a
 * second copy, so it goes to a small side file instead, one JSON line each.
 */
export type JournalEntry = { editionId: string; subscriberId: SubscriberId; at: string } & (
  | { kind: 'accepted'; record: AcceptedRecord }
  | { kind: 'failed'; record: FailedRecord }
);

export interface OutcomeJournal {
  /** Where the entries go, for messages. */
  readonly location: string;
  /** Appends one entry durably (fsynced) before returning. */
  append(entry: JournalEntry): Promise<void>;
}

/** The journal's file for a store file: next to it, in the data folder. */
export function journalPathFor(storeFile: string): string {
  return `${storeFile}.outcomes.jsonl`;
}

/** Appends with O_APPEND and fsyncs each line: a line written is a line kept, even on power loss. */
export class FileOutcomeJournal implements OutcomeJournal {
  constructor(readonly location: string) {}

  async append(entry: JournalEntry): Promise<void> {
    const fd = openSync(this.location, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    syncFolder(path.dirname(this.location));
  }
}

/** A new file's name is only durable once its folder is synced (not possible on every platform). */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: Windows cannot open a folder for syncing.
  }
}

/** Reads the entries; a torn last line (a crash mid-append) is ignored, it was never acknowledged. */
export function readJournal(file: string): JournalEntry[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const entries: JournalEntry[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (error) {
      if (index < lines.length - 2) {
        throw new TidingsError('STORE_FAILED', `unreadable line in the outcome journal: ${describeError(error)}`, {
          where: `${file}:${index + 1}`,
        });
      }
    }
  });
  return entries;
}

/**
 * Applies a journal left by an earlier run to the ledger, then removes it. Each record
 * is the same conditional update as in the run (only a row still `sending` changes), so
 * applying twice is harmless. A store that still fails keeps the file for the next run.
 */
export async function applyOutcomeJournal(file: string, ledger: Ledger): Promise<number> {
  // Applied under another name: entries a concurrent run appends meanwhile go to a fresh file.
  const applying = `${file}.applying`;
  let applied = 0;
  for (const step of ['resume', 'fresh'] as const) {
    if (step === 'fresh') {
      if (!existsSync(file)) break;
      renameSync(file, applying);
    } else if (!existsSync(applying)) continue; // no earlier apply was interrupted
    const entries = readJournal(applying);
    await applyEntries(entries, ledger, applying);
    rmSync(applying);
    syncFolder(path.dirname(file));
    applied += entries.length;
  }
  return applied;
}

async function applyEntries(entries: readonly JournalEntry[], ledger: Ledger, file: string): Promise<void> {
  for (const entry of entries) {
    const at = new Date(entry.at);
    try {
      if (entry.kind === 'accepted') await ledger.recordAccepted(entry.editionId, entry.subscriberId, at, entry.record);
      else await ledger.recordFailed(entry.editionId, entry.subscriberId, at, entry.record);
    } catch (error) {
      throw new TidingsError(
        'STORE_FAILED',
        `cannot apply the outcome journal (kept for the next run): ${describeError(error)}`,
        {
          where: file,
          cause: error,
        },
      );
    }
  }
}
