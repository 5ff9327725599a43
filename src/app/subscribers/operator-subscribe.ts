import { TidingsError } from '../../core/errors.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import type { ServiceCore } from './service-core.ts';
import { validateSignup, type SignupDesk } from './signup.ts';
import type { OperatorAddResult, SignupInput } from './subscriber-types.ts';

/**
 * An operator (the JSON API) adds an address to a newsletter: double opt-in by default,
 * through the same signup requests and confirmation mail as the public form; with
 * `confirmed` (the caller vouches for the consent) the subscription starts at once.
 * A suppressed address is refused, not silently dropped: the operator may lift it.
 */
export async function addByOperator(
  core: ServiceCore,
  signups: SignupDesk,
  newsletterId: string,
  input: SignupInput,
  options: { confirmed: boolean; by: string },
): Promise<OperatorAddResult> {
  const newsletter = core.newsletter(newsletterId);
  const fields = validateSignup(core, newsletter, input);
  const store = core.deps.store.subscribers;
  if (await store.isSuppressed(addressHash(fields.email)))
    throw new TidingsError('INPUT_INVALID', 'this address is suppressed: remove the suppression first', {
      where: 'email',
    });
  if (!options.confirmed) {
    await signups.request(newsletter.id, input, { ip: `operator:${options.by}`, operator: true });
    const existing = await store.findByEmail(fields.email);
    return { state: 'confirmation-sent', subscriberId: existing?.id ?? null };
  }
  const at = core.now();
  const before = await store.findByEmail(fields.email);
  const wasActive = before?.subscriptions.some((s) => s.newsletterId === newsletter.id && s.status === 'active');
  const subscriberId = await store.ensureSubscriber(
    { email: fields.email, name: fields.name, locale: fields.locale },
    at,
  );
  await store.subscribe(subscriberId, newsletter.id, at, fields.categories);
  // A reader already receiving it finishes their period first (the default too, when asked
  // for by name); a new subscription starts at the cadence at once.
  if (wasActive && input.cadence) await core.changeCadence(subscriberId, newsletter.id, input.cadence);
  else if (!wasActive && fields.cadence !== null) await core.startCadence(subscriberId, newsletter.id, fields.cadence);
  core.deps.logger.info({ newsletter: newsletter.id, subscriber: subscriberId, by: options.by }, 'subscriber added');
  return { state: 'subscribed', subscriberId };
}
