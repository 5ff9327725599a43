import { describeError, isTidingsError, TidingsError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { AcceptedRecord, FailedRecord } from './ledger.ts';
import type { JournalEntry, OutcomeJournal } from './outcome-journal.ts';

/** Tries to record one outcome before it goes to the journal; waits 100, 200, 300 ms in between. */
const RECORD_ATTEMPTS = 4;
const RECORD_BACKOFF_MS = 100;

export type OutcomeEntry = { kind: 'accepted'; record: AcceptedRecord } | { kind: 'failed'; record: FailedRecord };

/** Where an outcome ended up; with `error`, the store gave up and the run must stop. */
export type RecordedOutcome =
  | { where: 'ledger' }
  | { where: 'journal' | 'nowhere'; error: TidingsError; reason: string };

/** What ended a run early: the store or something else failed under it. */
export function describeFatal(error: unknown): { code: string; message: string } {
  if (isTidingsError(error)) return { code: error.code, message: describeError(error) };
  const code = (error as { code?: unknown } | null)?.code;
  const fromStore = typeof code === 'string' && code.startsWith('SQLITE_');
  return {
    code: fromStore ? 'STORE_FAILED' : 'UNEXPECTED',
    message: `${fromStore ? `${code}: ` : ''}${describeError(error)}`,
  };
}

/**
 * Records the outcomes the server gave. A failing store is retried a few times (a busy
 * file, a moment of I/O trouble); if it still fails, the outcome goes to the journal,
 * applied by the next run, and the caller must stop the run. Without a journal, or if
 * it fails too, the outcome is "nowhere": the row stays ambiguous.
 */
export class OutcomeRecorder {
  /** Subscribers whose outcome is in the journal rather than the store. */
  readonly journaledIds = new Set<number>();

  constructor(
    private readonly deps: {
      editionId: string;
      journal: OutcomeJournal | undefined;
      logger: Logger;
      now: () => Date;
      sleep: (ms: number, signal: AbortSignal) => Promise<void>;
    },
  ) {}

  async record(subscriberId: number, entry: OutcomeEntry, write: () => Promise<unknown>): Promise<RecordedOutcome> {
    const { editionId, journal, logger } = this.deps;
    let lastError: unknown;
    for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
      try {
        await write();
        return { where: 'ledger' };
      } catch (error) {
        lastError = error;
        logger.warn({ editionId, subscriberId, attempt }, `cannot record the outcome: ${describeError(error)}`);
        // Not abortable: a stop must not cut short the recording of what the server said.
        if (attempt < RECORD_ATTEMPTS) await this.deps.sleep(RECORD_BACKOFF_MS * attempt, new AbortController().signal);
      }
    }
    const cause = describeFatal(lastError).message;
    if (journal) {
      try {
        await journal.append({ ...entry, editionId, subscriberId, at: this.deps.now().toISOString() } as JournalEntry);
        this.journaledIds.add(subscriberId);
        const reason = `the store cannot record outcomes (${cause}); they are kept in ${journal.location} and applied by the next run`;
        return { where: 'journal', reason, error: new TidingsError('STORE_FAILED', reason, { cause: lastError }) };
      } catch (journalError) {
        logger.error({ editionId, subscriberId }, `cannot write the outcome journal: ${describeError(journalError)}`);
      }
    }
    const reason = `${entry.kind} but not recorded: ${cause}`;
    return {
      where: 'nowhere',
      reason,
      error: new TidingsError('STORE_FAILED', `the store cannot record outcomes (${cause})`, { cause: lastError }),
    };
  }
}
