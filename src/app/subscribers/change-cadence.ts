import { cadenceStream, offeredCadences } from '../../config/cadences.ts';
import type { NewsletterConfig, TidingsConfig } from '../../config/schema.ts';
import { parseCronExpression } from '../../core/cron-expression.ts';
import { TidingsError } from '../../core/errors.ts';
import { nextSlots, type ScheduledSlot } from '../../schedule/schedule-slots.ts';
import type { SubscriberStore, Subscription } from '../../subscribers/subscriber-store.ts';

/**
 * A reader's change of cadence (issue 26): from the next period, without a story twice
 * or a period missed. The reader still gets their current cadence's next edition, then
 * moves: `switchAfter` is that edition's slot, and the streams' audience filter
 * (CadenceFilter) puts the reader in the new stream for slots after it. The new stream's
 * first edition leaves out what the reader received (the ledger's "never twice" rule)
 * and its window covers the period since, so nothing repeats and nothing is skipped.
 */

export interface ChangeCadenceDeps {
  config: Pick<TidingsConfig, 'newsletters'>;
  subscribers: Pick<SubscriberStore, 'getById' | 'setCadence'>;
}

export interface CadenceChange {
  /** False when the reader already had (or was already moving to) this cadence. */
  changed: boolean;
  /** The cadence asked for. */
  cadence: string;
  /** ISO instant: slots after it use `cadence`; null when in effect at once. */
  after: string | null;
}

/** A stream's next slot strictly after `at`; null when it has no schedule (sent by hand). */
export function nextScheduledSlot(
  stream: Pick<NewsletterConfig, 'schedule' | 'timezone'>,
  at: Date,
): ScheduledSlot | null {
  if (!stream.schedule) return null;
  const parsed = parseCronExpression(stream.schedule);
  if (!parsed.ok) return null;
  return nextSlots(parsed.schedule, stream.timezone, at, 1)[0] ?? null;
}

function checkedCadence(deps: ChangeCadenceDeps, newsletterId: string, cadence: string): string[] {
  const offered = offeredCadences(deps.config, newsletterId);
  if (!offered)
    throw new TidingsError('INPUT_INVALID', `newsletter "${newsletterId}" offers no cadences`, { where: 'cadence' });
  if (!offered.includes(cadence))
    throw new TidingsError(
      'INPUT_INVALID',
      `"${cadence}" is not a cadence of newsletter "${newsletterId}" (offered: ${offered.join(', ')})`,
      { where: 'cadence' },
    );
  return offered;
}

/** The chosen cadence once a change due at `at` is made, and the change still pending. */
function settled(subscription: Subscription, at: Date): { chosen: string | null; pending: string | null } {
  const next = subscription.nextCadence;
  if (next && Date.parse(next.after) < at.getTime()) return { chosen: next.name, pending: null };
  return { chosen: subscription.cadence, pending: next?.name ?? null };
}

/**
 * Sets a reader's cadence of a newsletter (its configured id). `immediate`: in effect at
 * once (a subscription made now has no period to finish). A subscription that is not
 * active gets nothing meanwhile, so its change is immediate too. INPUT_INVALID for a
 * cadence the newsletter does not offer, NOT_FOUND without such a subscription.
 */
export async function changeCadence(
  deps: ChangeCadenceDeps,
  subscriberId: number,
  newsletterId: string,
  cadence: string,
  at: Date,
  options: { immediate?: boolean } = {},
): Promise<CadenceChange> {
  const offered = checkedCadence(deps, newsletterId, cadence);
  const subscriber = await deps.subscribers.getById(subscriberId);
  const subscription = subscriber?.subscriptions.find((s) => s.newsletterId === newsletterId && s.status !== 'removed');
  if (!subscriber || !subscription)
    throw new TidingsError('NOT_FOUND', `subscriber ${subscriberId} has no subscription to "${newsletterId}"`);
  const { chosen, pending } = settled(subscription, at);
  // A cadence no longer offered is read as the default, as the streams' filter does.
  const current = chosen !== null && offered.includes(chosen) ? chosen : offered[0]!;
  const store = deps.subscribers;
  if (options.immediate || subscription.status !== 'active') {
    const changed = current !== cadence || pending !== null;
    if (changed) await store.setCadence(subscriberId, newsletterId, cadence, at, null);
    return { changed, cadence, after: null };
  }
  if (current === cadence) {
    // A change back before the switch: the pending one is dropped, the chosen one stays as stored.
    if (pending !== null) await store.setCadence(subscriberId, newsletterId, chosen, at, null);
    return { changed: pending !== null, cadence, after: null };
  }
  if (pending === cadence) return { changed: false, cadence, after: subscription.nextCadence!.after };
  const switchAfter = nextScheduledSlot(cadenceStream(deps.config, newsletterId, current), at)?.utc ?? at;
  await store.setCadence(subscriberId, newsletterId, cadence, at, switchAfter);
  return { changed: true, cadence, after: switchAfter.toISOString() };
}
