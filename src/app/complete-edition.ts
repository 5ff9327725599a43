import { describeResolutions } from '../delivery/delivery-tally.ts';
import { isFullyQueued } from '../editions/edition.ts';
import type { Store } from '../store/store.ts';

/**
 * The one rule for `sent`, used by `tidings send`, every worker and `tidings deliveries
 * resolve`: an edition is sent once every reader of its recorded audience has a ledger row
 * (queuing is complete) and every row is final — accepted, skipped, failed for good, or an
 * ambiguous row an operator resolved — so none is pending, in flight or ambiguous
 * (`sending`), and no temporary failure waits for a rerun. An edition whose audience was
 * never recorded is not final (the next send records and queues it). A sent edition keeps
 * who resolved its ambiguous rows as its status reason. True when this call marked it sent.
 */
export async function completeEditionIfFinal(
  store: Pick<Store, 'editions' | 'ledger'>,
  editionId: string,
  at: Date,
): Promise<boolean> {
  const edition = await store.editions.getEdition(editionId);
  if (edition?.status !== 'sending' || !edition.audience || !isFullyQueued(edition.audience)) return false;
  const counts = await store.ledger.counts(editionId);
  if (counts.pending > 0 || counts.sending > 0) return false;
  if (counts.failed > 0 && (await store.ledger.list(editionId, 'failed')).some((row) => row.retryable)) return false;
  const resolved = await store.ledger.resolutions(editionId);
  return store.editions.setStatus(editionId, 'sent', {
    at,
    from: ['sending'],
    reason: resolved ? describeResolutions(resolved) : null,
  });
}
