import type { AppContext } from '../../app/context.ts';
import type { DeskSends } from '../../app/desk/desk-sends.ts';
import type { Edition } from '../../editions/edition.ts';

export const editionPath = (id: string) => `/desk/e/${id.split('/').map(encodeURIComponent).join('/')}`;

/**
 * The editions page: drafts (upcoming), awaiting approval, sending (with the ledger's
 * counts; the page follows them live), sent (counts and unsubscribes after it), skipped
 * (and why). Upcoming slots appear once a draft is prepared (by the scheduler or
 * `tidings preview`).
 */
export async function buildEditionList(ctx: AppContext, sends: DeskSends) {
  const editions = await ctx.store.editions.listEditions();
  const summaries = new Map((await ctx.store.ledger.editions()).map((s) => [s.editionId, s]));
  // Unsubscribes are a figure on the page, not a reason to fail it.
  const unsubscribes = await ctx.store.subscribers.unsubscribesByEdition().catch((error: unknown) => {
    ctx.logger.warn({ err: error }, 'desk: unsubscribe counts unavailable');
    return new Map<string, number>();
  });
  const row = (edition: Edition) => {
    const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId);
    const counts = summaries.get(edition.id)?.counts;
    return {
      id: edition.id,
      path: editionPath(edition.id),
      newsletter: newsletter?.title ?? edition.newsletterId,
      slot: edition.slot,
      status: edition.status,
      reason: edition.statusReason,
      articles: edition.articles.filter((a) => !a.excluded).length,
      approvedBy: edition.approvedBy,
      accepted: counts?.accepted ?? 0,
      failed: counts?.failed ?? 0,
      total: counts?.total ?? 0,
      unsubscribes: unsubscribes.get(edition.id) ?? 0,
      running: sends.isRunning(edition.id),
      live: edition.status === 'sending',
    };
  };
  const needsApproval = (e: Edition) => ctx.config.newsletters.find((n) => n.id === e.newsletterId)?.requireApproval === true;
  return {
    drafts: editions.filter((e) => e.status === 'draft' && !needsApproval(e)).map(row),
    awaiting: editions.filter((e) => (e.status === 'draft' && needsApproval(e)) || e.status === 'approved').map(row),
    sending: editions.filter((e) => e.status === 'sending').map(row),
    sent: editions.filter((e) => e.status === 'sent').map(row),
    skipped: editions.filter((e) => e.status === 'skipped').map(row),
  };
}
