import type { DeskDeps } from './desk-deps.ts';
import { describeTally, tallyOf } from '../../delivery/delivery-tally.ts';
import type { NewsletterConfig } from '../../config/schema.ts';
import type { Edition } from '../../editions/edition.ts';
import { editionIdFor } from '../../editions/slot.ts';
import { deskTime, type DeskTime } from './desk-time.ts';
import { feedbackView } from './feedback-view.ts';
import { streamTitle } from './stream-title.ts';
import { parseCronExpression } from '../../core/cron-expression.ts';
import { nextSlots } from '../../schedule/schedule-slots.ts';

export const editionPath = (id: string) => `/desk/e/${id.split('/').map(encodeURIComponent).join('/')}`;

/**
 * The editions page: drafts (upcoming), awaiting approval, sending (with the ledger's
 * counts; the page follows them live), sent (counts and unsubscribes after it), skipped
 * (and why). Sent and sending rows carry their bounce and complaint rates. Upcoming slots come from each newsletter's schedule before any draft
 * exists, with the time the scheduler will prepare the draft.
 */
export async function buildEditionList(ctx: Pick<DeskDeps, 'ops' | 'config' | 'clock' | 'sends'>) {
  const { editions, summaries, unsubscribes, feedback, ambiguous } = await ctx.ops.reads.editionList();
  const { sends } = ctx;
  const row = (edition: Edition) => {
    const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId);
    const counts = summaries.get(edition.id)?.counts;
    return {
      id: edition.id,
      path: editionPath(edition.id),
      newsletter: newsletter ? streamTitle(newsletter) : edition.newsletterId,
      slot: edition.slot,
      status: edition.status,
      reason: edition.statusReason,
      articles: edition.articles.filter((a) => !a.excluded).length,
      approvedBy: edition.approvedBy,
      deadline: newsletter && edition.status === 'draft' ? approvalDeadlineOf(newsletter, edition) : null,
      accepted: counts?.accepted ?? 0,
      failed: counts?.failed ?? 0,
      total: counts?.total ?? 0,
      // The words of the send summary and `tidings status` (delivery-tally.ts).
      delivery: counts ? describeTally(tallyOf(counts, ambiguous.get(edition.id) ?? 0)) : '',
      ambiguous: ambiguous.get(edition.id) ?? 0,
      unsubscribes: unsubscribes.get(edition.id) ?? 0,
      feedback: feedbackView(feedback.get(edition.id), counts?.accepted ?? 0),
      running: sends.isRunning(edition.id),
      live: edition.status === 'sending',
    };
  };
  const needsApproval = (e: Edition) =>
    ctx.config.newsletters.find((n) => n.id === e.newsletterId)?.requireApproval === true;
  const known = new Set(editions.map((e) => e.id));
  return {
    upcoming: upcomingSlots(ctx.config.newsletters, ctx.clock.now()).filter((slot) => !known.has(slot.id)),
    drafts: editions.filter((e) => e.status === 'draft' && !needsApproval(e)).map(row),
    awaiting: editions.filter((e) => (e.status === 'draft' && needsApproval(e)) || e.status === 'approved').map(row),
    sending: editions.filter((e) => e.status === 'sending').map(row),
    sent: editions.filter((e) => e.status === 'sent').map(row),
    skipped: editions.filter((e) => e.status === 'skipped').map(row),
  };
}

/** When an unapproved draft stops waiting, and what happens then (newsletters that require approval). */
function approvalDeadlineOf(
  newsletter: NewsletterConfig,
  edition: Edition,
): { at: DeskTime | null; outcome: string } | null {
  if (!newsletter.requireApproval) return null;
  const at = new Date(Date.parse(edition.slot) + newsletter.approvalDeadline);
  return {
    at: deskTime(at, newsletter.timezone),
    outcome: newsletter.onApprovalTimeout === 'send' ? 'sent as it is' : 'skipped',
  };
}

const UPCOMING_PER_NEWSLETTER = 3;

/** The next slots of every scheduled newsletter, soonest first, with when their draft is prepared. */
function upcomingSlots(newsletters: readonly NewsletterConfig[], now: Date) {
  return newsletters
    .flatMap((newsletter) => {
      const parsed = newsletter.schedule ? parseCronExpression(newsletter.schedule) : null;
      if (!parsed?.ok) return [];
      return nextSlots(parsed.schedule, newsletter.timezone, now, UPCOMING_PER_NEWSLETTER).map((slot) => ({
        id: editionIdFor(newsletter.id, slot),
        newsletter: streamTitle(newsletter),
        at: slot.utc.getTime(),
        slot: `${slot.local} (${newsletter.timezone})`,
        prepareAt: deskTime(new Date(slot.utc.getTime() - newsletter.prepareAhead), newsletter.timezone),
        approval: newsletter.requireApproval,
      }));
    })
    .sort((a, b) => a.at - b.at);
}
