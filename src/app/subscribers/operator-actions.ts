import { TidingsError } from '../../core/errors.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import { normalizeEmailAddress } from '../../subscribers/email-address.ts';
import type { SubscriberRecord } from '../../subscribers/subscriber-store.ts';
import type { ServiceCore } from './service-core.ts';
import type { SubscriberExport, SuppressionEntry } from './subscriber-types.ts';

function canonical(email: string): string {
  const check = normalizeEmailAddress(email);
  if (!check.ok) throw new TidingsError('INPUT_INVALID', `not a valid address: ${check.reason}`, { where: 'EMAIL' });
  return check.address;
}

async function requireSubscriber(core: ServiceCore, email: string): Promise<SubscriberRecord> {
  const subscriber = await core.deps.store.subscribers.findByEmail(canonical(email));
  if (!subscriber || subscriber.status === 'erased')
    throw new TidingsError('NOT_FOUND', `no subscriber ${email} in the store`);
  return subscriber;
}

/** `tidings subscribers unsubscribe EMAIL [--newsletter ID]`: returns the newsletters it ended. */
export async function unsubscribeByEmail(core: ServiceCore, email: string, newsletterId?: string): Promise<string[]> {
  if (newsletterId) core.newsletter(newsletterId);
  const subscriber = await requireSubscriber(core, email);
  const ended: string[] = [];
  for (const subscription of subscriber.subscriptions) {
    if (newsletterId && subscription.newsletterId !== newsletterId) continue;
    const changed = await core.deps.store.subscribers.unsubscribe(
      subscriber.id,
      subscription.newsletterId,
      core.now(),
      { channel: 'operator', editionId: null },
    );
    if (changed) ended.push(subscription.newsletterId);
  }
  return ended;
}

/**
 * `tidings subscribers forget EMAIL`: the erasure. The address is suppressed even when
 * the store does not know it, so a list that still names it cannot add it later.
 */
export async function forgetByEmail(core: ServiceCore, email: string): Promise<boolean> {
  const address = canonical(email);
  const subscriber = await core.deps.store.subscribers.findByEmail(address);
  if (subscriber && subscriber.status !== 'erased') return core.forget(subscriber, 'erased by an operator');
  await core.deps.store.subscribers.addSuppression(addressHash(address), 'erased by an operator', core.now());
  await core.deps.store.subscribers.deleteSignupRequests(address);
  return false;
}

/** `tidings subscribers export EMAIL`: everything the store keeps about the address. */
export async function exportByEmail(core: ServiceCore, email: string): Promise<SubscriberExport> {
  const address = canonical(email);
  const store = core.deps.store.subscribers;
  const subscriber = await store.findByEmail(address);
  const live = subscriber && subscriber.status !== 'erased' ? subscriber : null;
  const history = live ? await store.history(live.id) : { deliveries: [], receivedArticles: [], unsubscribeEvents: [] };
  let person: Omit<SubscriberRecord, 'subscriptions'> | null = null;
  if (live) {
    const { subscriptions: _left, ...rest } = live;
    person = rest;
  }
  return {
    subscriber: person,
    subscriptions: live?.subscriptions ?? [],
    deliveries: history.deliveries,
    receivedArticles: history.receivedArticles,
    unsubscribeEvents: history.unsubscribeEvents,
    pendingSignups: await store.signupRequestsByEmail(address),
    suppressed: await store.isSuppressed(addressHash(address)),
  };
}

export async function listSuppressions(core: ServiceCore): Promise<SuppressionEntry[]> {
  return core.deps.store.subscribers.listSuppressions();
}

export async function addSuppression(core: ServiceCore, email: string, reason: string): Promise<boolean> {
  return core.deps.store.subscribers.addSuppression(addressHash(canonical(email)), reason, core.now());
}

/** Lifting a suppression is how an operator re-imports an address on purpose (then `subscribers sync`). */
export async function removeSuppression(core: ServiceCore, email: string): Promise<boolean> {
  return core.deps.store.subscribers.removeSuppression(addressHash(canonical(email)));
}
