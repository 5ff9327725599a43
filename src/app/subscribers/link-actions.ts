import { TidingsError } from '../../core/errors.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import type { UnsubscribeChannel } from '../../subscribers/subscriber-lifecycle-store.ts';
import { maskEmail, type ServiceCore } from './service-core.ts';
import type { LinkPurpose, SubscriptionChange, TokenDescription } from './subscriber-types.ts';

/** What a link's token points at, for the page that shows it. */
export async function describeToken(core: ServiceCore, token: string, purpose: LinkPurpose): Promise<TokenDescription> {
  return core.describe(await core.resolve(token, [purpose]));
}

/**
 * Ends the subscription the unsubscribe link names. Idempotent: a second call (or a link
 * of an erased subscriber) changes nothing and says so. Never expires. The event records
 * the edition named in the token, which `tidings status` counts per edition.
 */
export async function unsubscribeByToken(
  core: ServiceCore,
  token: string,
  channel: UnsubscribeChannel,
): Promise<SubscriptionChange> {
  const link = await core.resolve(token, ['unsubscribe']);
  let changed = false;
  if (link.subscriber && link.subscription?.status === 'active') {
    changed = await core.deps.store.subscribers.unsubscribe(link.subscriber.id, link.newsletter.id, core.now(), {
      channel,
      editionId: link.claims.editionId ?? null,
    });
    if (changed)
      core.deps.logger.info(
        { newsletter: link.newsletter.id, subscriber: link.subscriber.id, channel, edition: link.claims.editionId },
        'unsubscribed',
      );
  }
  const after = changed ? await core.resolve(token, ['unsubscribe']) : link;
  return { ...core.describe(after), changed };
}

/** Undoes an unsubscribe from the unsubscribe page or the preferences page; idempotent. */
export async function resubscribeByToken(core: ServiceCore, token: string): Promise<SubscriptionChange> {
  const link = await core.resolve(token, ['unsubscribe', 'preferences']);
  if (!link.subscriber) throw new TidingsError('NOT_FOUND', 'this link no longer leads to a subscriber');
  if (link.subscription?.status === 'removed' && !link.newsletter.signup) {
    // The operator took the address off the lists; only the lists (or an open signup) bring it back.
    throw new TidingsError('NOT_FOUND', `this address is no longer on the list of ${link.newsletter.title}`);
  }
  if (await core.deps.store.subscribers.isSuppressed(addressHash(link.subscriber.email))) {
    throw new TidingsError('NOT_FOUND', 'this address is suppressed: ask the sender to lift it');
  }
  const changed =
    link.subscription?.status === 'active'
      ? false
      : await core.deps.store.subscribers.subscribe(link.subscriber.id, link.newsletter.id, core.now());
  const after = changed ? await core.resolve(token, ['unsubscribe', 'preferences']) : link;
  return { ...core.describe(after), changed };
}

/** "Erase my data" from the preferences page. */
export async function eraseByToken(core: ServiceCore, token: string): Promise<{ maskedEmail: string }> {
  const link = await core.resolve(token, ['preferences']);
  if (!link.subscriber) return { maskedEmail: '' };
  const maskedEmail = maskEmail(link.subscriber.email);
  await core.forget(link.subscriber, 'erased by the subscriber');
  core.deps.logger.info({ subscriber: link.subscriber.id }, 'subscriber erased at their own request');
  return { maskedEmail };
}
