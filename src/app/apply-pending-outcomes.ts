import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { applyOutcomeJournal, FileOutcomeJournal, type OutcomeJournal } from '../delivery/outcome-journal.ts';
import type { AppContext } from './context.ts';

/** The outcome journal of the context's store; none for a store in memory. */
export function openOutcomeJournal(ctx: AppContext): OutcomeJournal | undefined {
  if (!ctx.outcomeJournalFile) return undefined;
  // With PostgreSQL nothing else may have created the data folder yet.
  mkdirSync(path.dirname(ctx.outcomeJournalFile), { recursive: true });
  return new FileOutcomeJournal(ctx.outcomeJournalFile);
}

/**
 * Applies outcomes an earlier send could not record (the store failed under it) before
 * anything else reads or sends: a row the server accepted must not look ambiguous, let
 * alone be resent. A store that still fails stops the command with STORE_FAILED.
 */
export async function applyPendingOutcomes(ctx: AppContext): Promise<number> {
  const file = ctx.outcomeJournalFile;
  if (!file) return 0;
  const applied = await applyOutcomeJournal(file, ctx.store.ledger);
  if (applied) ctx.err(`Applied ${applied} delivery outcomes an earlier send could not record (from ${file}).`);
  return applied;
}
