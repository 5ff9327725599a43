import { audienceOf } from './audience-of.ts';
import type { AmbiguousDecision, DeliveryRow, ResolveRefusal, SubscriberId } from '../delivery/ledger.ts';
import type { Edition } from '../editions/edition.ts';
import { planDigest } from '../editions/plan-digest.ts';
import { completeEditionIfFinal } from './complete-edition.ts';
import type { AppContext } from './context.ts';

export interface ResolveAmbiguousInput {
  editionId: string;
  /** Readers by address, or every unresolved ambiguous row of the edition. */
  emails: readonly string[] | 'all-ambiguous';
  decision: AmbiguousDecision;
  /** Who decided, for the ledger and the audit log. */
  by: string;
}

export interface ResolveAmbiguousOutcome {
  /** 0 recorded (or nothing to do), 1 a send or worker has rows in flight, 2 a row that cannot be resolved was named. */
  exitCode: number;
  lines: string[];
  resolved: DeliveryRow[];
  /** This resolution made the edition `sent`. */
  sent: boolean;
}

const WHY: Record<ResolveRefusal['why'], string> = {
  'not-ambiguous': 'not ambiguous',
  'in-flight': 'in flight at a live worker (not ambiguous yet)',
  'no-row': 'no delivery of this edition',
};

/**
 * `tidings deliveries resolve` and the desk's resolve action: records what the mail
 * server's log says about ambiguous rows. Accepted rows become final; not-accepted ones go
 * back to pending for the next run. All or nothing: a named row that is not ambiguous, or a
 * send that holds the edition right now, refuses the whole request.
 */
export async function resolveAmbiguousDeliveries(
  ctx: AppContext,
  input: ResolveAmbiguousInput,
): Promise<ResolveAmbiguousOutcome> {
  const { editionId, decision, by } = input;
  const refuse = (exitCode: number, lines: string[]): ResolveAmbiguousOutcome => ({
    exitCode,
    lines,
    resolved: [],
    sent: false,
  });
  const edition = await ctx.store.editions.getEdition(editionId);
  if (!edition)
    return refuse(2, [`no edition "${editionId}" (edition ids look like daily/2026-11-28T07:00; see tidings status)`]);
  const { newsletterId } = edition;
  const now = ctx.clock.now();
  const holder = (await ctx.store.sendLease.active(now, newsletterId)).find((lease) => lease.editionId === editionId);
  if (holder) {
    return refuse(1, [
      `${editionId} is being sent now by ${holder.holder} (since ${holder.acquiredAt}): its "sending" rows are in flight, not ambiguous; resolve once it has finished.`,
    ]);
  }
  let subscriberIds: readonly SubscriberId[] | 'all-ambiguous' = 'all-ambiguous';
  const unknown: string[] = [];
  if (input.emails !== 'all-ambiguous') {
    const idOf = new Map(
      (await ctx.store.ledger.list(editionId)).map((row) => [row.email?.toLowerCase(), row.subscriberId]),
    );
    const ids: SubscriberId[] = [];
    for (const email of input.emails) {
      const id = idOf.get(email.trim().toLowerCase());
      if (id === undefined) unknown.push(email);
      else ids.push(id);
    }
    subscriberIds = ids;
  }
  if (unknown.length)
    return refuse(
      2,
      unknown.map((email) => `${email}: ${WHY['no-row']}; nothing was recorded.`),
    );
  const articleIds = decision === 'accepted' ? await articlesReceived(ctx, edition, subscriberIds) : undefined;
  const result = await ctx.store.ledger.resolveAmbiguous(editionId, {
    subscriberIds,
    decision,
    by,
    at: now,
    articleIds,
  });
  if (result.refused.length) {
    const inFlight = result.refused.some((r) => r.why === 'in-flight');
    const lines = result.refused.map(
      (r) =>
        `${r.email ?? `subscriber ${r.subscriberId}`}: ${WHY[r.why]}${r.status && r.why === 'not-ambiguous' ? ` (${r.status})` : ''}`,
    );
    lines.push(
      `Nothing was recorded; list the ambiguous rows with: ${ctx.commandLine(`deliveries ${editionId} --status sending`)}`,
    );
    return refuse(inFlight ? 1 : 2, lines);
  }
  if (!result.resolved.length)
    return { exitCode: 0, lines: [`${editionId}: no ambiguous deliveries to resolve.`], resolved: [], sent: false };
  await ctx.store.audit.record({
    at: now.toISOString(),
    actor: by,
    action: 'deliveries.resolve',
    newsletterId,
    editionId,
    // Subscriber ids, not addresses: the audit log outlives an erasure.
    details: { decision, count: result.resolved.length, subscribers: result.resolved.map((row) => row.subscriberId) },
  });
  const who =
    result.resolved
      .slice(0, 10)
      .map((row) => row.email ?? `subscriber ${row.subscriberId}`)
      .join(', ') + (result.resolved.length > 10 ? ', …' : '');
  const lines = [
    decision === 'accepted'
      ? `${editionId}: ${result.resolved.length} ambiguous deliveries recorded as accepted by ${by} (final, never resent): ${who}.`
      : `${editionId}: ${result.resolved.length} ambiguous deliveries recorded as not accepted by ${by}: ${who}. They are pending again; the next run sends them: ${ctx.commandLine(`send ${newsletterId} --at ${edition.slot}`)}`,
  ];
  const sent = await completeEditionIfFinal(ctx.store, editionId, ctx.clock.now());
  if (sent) lines.push(`${editionId} is now sent: every delivery is final.`);
  return { exitCode: 0, lines, resolved: result.resolved, sent };
}

/**
 * The articles each reader's message carried, planned as the send planned them (pure:
 * no rendering), so that a reader resolved as accepted never gets those stories again.
 * Readers no longer subscribed are left out: no later edition goes to them.
 */
async function articlesReceived(
  ctx: AppContext,
  edition: Edition,
  asked: readonly SubscriberId[] | 'all-ambiguous',
): Promise<Map<SubscriberId, string[]>> {
  const ids = new Set(
    asked === 'all-ambiguous'
      ? (await ctx.store.ledger.listAmbiguous(edition.id)).map((row) => row.subscriberId)
      : asked,
  );
  const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId);
  const found = new Map<SubscriberId, string[]>();
  if (!newsletter || !ids.size) return found;
  const itemIds = edition.articles.map((a) => a.articleId);
  const readers = audienceOf(newsletter, new Date(edition.slot));
  const bounds = { afterId: Math.min(...ids) - 1, untilId: Math.max(...ids), cadence: readers.cadence };
  for await (const reader of ctx.store.subscribers.streamRecipients(readers.newsletterId, bounds)) {
    if (!ids.has(reader.id)) continue;
    const plan = planDigest(
      edition,
      newsletter,
      ctx.config.categories,
      reader,
      await ctx.store.ledger.receivedArticleIds(reader.id, itemIds, edition.id),
      null,
    );
    if (!('skip' in plan)) found.set(reader.id, plan.articleIds);
  }
  return found;
}
