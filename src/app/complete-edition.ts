import { describeResolutions } from '../delivery/delivery-tally.ts';
import type { AppContext } from './context.ts';

/**
 * The one rule that makes an edition `sent`: every ledger row is final — accepted, skipped,
 * failed for good, or an ambiguous row an operator resolved — so nothing is pending, in
 * flight, ambiguous or waiting for a retry. Called by `tidings send`, the workers and
 * `tidings deliveries resolve`; a sent edition keeps who resolved its ambiguous rows as its
 * status reason. Returns true when this call made it sent.
 */
export async function completeEditionIfFinal(ctx: Pick<AppContext, 'store' | 'clock'>, editionId: string): Promise<boolean> {
  const { ledger, editions } = ctx.store;
  const counts = await ledger.counts(editionId);
  if (counts.pending > 0 || counts.sending > 0) return false;
  if (counts.failed > 0 && (await ledger.list(editionId, 'failed')).some((row) => row.retryable)) return false;
  const resolved = await ledger.resolutions(editionId);
  return editions.setStatus(editionId, 'sent', { at: ctx.clock.now(), from: ['sending'], reason: resolved ? describeResolutions(resolved) : null });
}
