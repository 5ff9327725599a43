import { TidingsError } from '../../core/errors.ts';
import { normalizeEmailAddress } from '../../subscribers/email-address.ts';
import { cadenceState, checkCadence, type CadenceState } from './reader-cadence.ts';
import type { ServiceCore } from './service-core.ts';

/**
 * `tidings subscribers set-cadence EMAIL NEWSLETTER CADENCE`: the reader's own change,
 * made by an operator for them, under the same rule as the preferences page (from the
 * end of the current period; asking for the cadence in effect cancels a waiting change).
 * Returns the cadence as it stands afterwards, with the change waiting, if any.
 */
export async function setCadenceByEmail(
  core: ServiceCore,
  email: string,
  newsletterId: string,
  cadence: string,
): Promise<CadenceState> {
  const newsletter = core.newsletter(newsletterId);
  checkCadence(core.deps.config, newsletter.id, cadence, 'CADENCE');
  const check = normalizeEmailAddress(email);
  if (!check.ok) throw new TidingsError('INPUT_INVALID', `not a valid address: ${check.reason}`, { where: 'EMAIL' });
  const store = core.deps.store.subscribers;
  const subscriber = await store.findByEmail(check.address);
  if (!subscriber || subscriber.status === 'erased')
    throw new TidingsError('NOT_FOUND', `no subscriber ${email} in the store`);
  const subscription = subscriber.subscriptions.find((s) => s.newsletterId === newsletter.id && s.status === 'active');
  if (!subscription)
    throw new TidingsError('INPUT_INVALID', `${email} is not subscribed to ${newsletter.id}`, { where: 'NEWSLETTER' });
  const before = cadenceState(core.deps.config, newsletter.id, subscription, core.now())!;
  if (before.chosen !== cadence) await core.changeCadence(subscriber.id, newsletter.id, cadence);
  const after = (await store.getById(subscriber.id))?.subscriptions.find((s) => s.newsletterId === newsletter.id);
  return cadenceState(core.deps.config, newsletter.id, after, core.now())!;
}
