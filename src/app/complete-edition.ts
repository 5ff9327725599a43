import { isFullyQueued } from '../editions/edition.ts';
import type { Store } from '../store/store.ts';

/**
 * The one rule for `sent`, used by `tidings send` and every worker: an edition is sent once
 * every reader of its recorded audience has a ledger row (queuing is complete) and every
 * row is final: none pending, none in flight or ambiguous (`sending`), no temporary
 * failure waiting for a rerun. An edition whose audience was never recorded is not final
 * (the next send records and queues it). True when this call marked it sent.
 */
export async function completeEditionIfFinal(store: Pick<Store, 'editions' | 'ledger'>, editionId: string, at: Date): Promise<boolean> {
  const edition = await store.editions.getEdition(editionId);
  if (edition?.status !== 'sending' || !edition.audience || !isFullyQueued(edition.audience)) return false;
  const counts = await store.ledger.counts(editionId);
  if (counts.pending > 0 || counts.sending > 0) return false;
  if (counts.failed > 0 && (await store.ledger.list(editionId, 'failed')).some((row) => row.retryable)) return false;
  return store.editions.setStatus(editionId, 'sent', { at, from: ['sending'] });
}
