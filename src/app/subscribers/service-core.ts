import { createHmac } from 'node:crypto';
import type { NewsletterConfig } from '../../config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import {
  signSubscriberToken,
  verifySubscriberToken,
  type SubscriberTokenClaims,
  type TokenPurpose,
} from '../../delivery/subscriber-token.ts';
import { addressHash } from '../../subscribers/address-hash.ts';
import type { SubscriberRecord, Subscription } from '../../subscribers/subscriber-store.ts';
import { changeCadence, type CadenceChange } from './change-cadence.ts';
import type { SubscriberServiceDeps, SubscriptionState, TokenDescription } from './subscriber-types.ts';

/** `j***@example.com`: the first character of the local part, then stars. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** A link whose token checked out, with what it names. */
export interface ResolvedLink {
  claims: SubscriberTokenClaims;
  newsletter: NewsletterConfig;
  /** Null when the subscriber was erased: the link then changes nothing. */
  subscriber: SubscriberRecord | null;
  subscription: Subscription | null;
}

/** Shared helpers of the service modules: deps plus token and newsletter lookups. */
export class ServiceCore {
  constructor(readonly deps: SubscriberServiceDeps) {}

  now(): Date {
    return this.deps.clock.now();
  }

  newsletter(id: string): NewsletterConfig {
    const newsletter = this.deps.config.newsletters.find((n) => n.id === id);
    if (!newsletter) throw new TidingsError('NOT_FOUND', `no newsletter "${id}"`);
    // Readers subscribe to a newsletter and choose its cadence; a stream is not one to join.
    if (newsletter.cadence && !newsletter.cadence.isDefault)
      throw new TidingsError(
        'NOT_FOUND',
        `no newsletter "${id}": "${newsletter.cadence.name}" is a cadence of ${newsletter.cadence.newsletterId}`,
      );
    return newsletter;
  }

  /**
   * A reader's change of cadence (issue 26), from the end of their current period: the
   * model's operation (change-cadence.ts) decides when it takes effect.
   */
  changeCadence(subscriberId: number, newsletterId: string, cadence: string): Promise<CadenceChange> {
    return changeCadence(this.#cadenceDeps(), subscriberId, newsletterId, cadence, this.now());
  }

  /** A cadence in effect at once: a subscription that starts now (signup, operator add) has no period to finish. */
  startCadence(subscriberId: number, newsletterId: string, cadence: string): Promise<CadenceChange> {
    return changeCadence(this.#cadenceDeps(), subscriberId, newsletterId, cadence, this.now(), { immediate: true });
  }

  #cadenceDeps() {
    return { config: this.deps.config, subscribers: this.deps.store.subscribers };
  }

  /** Checks a link token (constant-time signature check) for one of `purposes`; TOKEN_INVALID otherwise. */
  async resolve(token: string, purposes: readonly TokenPurpose[]): Promise<ResolvedLink> {
    const claims = verifySubscriberToken(String(token ?? ''), this.deps.secret);
    if (!claims || !purposes.includes(claims.purpose))
      throw new TidingsError('TOKEN_INVALID', 'this link is not valid (changed, cut short or not ours)');
    const newsletter = this.deps.config.newsletters.find((n) => n.id === claims.newsletterId);
    if (!newsletter)
      throw new TidingsError('NOT_FOUND', `the newsletter of this link ("${claims.newsletterId}") no longer exists`);
    const found = await this.deps.store.subscribers.getById(claims.subscriberId);
    // Subscriber 0 (test sends) and erased subscribers: a valid link that leads to nobody.
    const subscriber = found && found.status !== 'erased' ? found : null;
    const subscription = subscriber?.subscriptions.find((s) => s.newsletterId === newsletter.id) ?? null;
    return { claims, newsletter, subscriber, subscription };
  }

  describe(link: ResolvedLink): TokenDescription {
    const state: SubscriptionState = link.subscription?.status ?? 'none';
    return {
      purpose: link.claims.purpose,
      newsletter: { id: link.newsletter.id, title: link.newsletter.title },
      maskedEmail: link.subscriber ? maskEmail(link.subscriber.email) : '',
      state,
      locale: link.subscriber?.locale ?? link.newsletter.locale,
      preferencesToken: link.subscriber
        ? signSubscriberToken(
            { subscriberId: link.subscriber.id, newsletterId: link.newsletter.id, purpose: 'preferences' },
            this.deps.secret,
          )
        : null,
    };
  }

  /** Negative, so it can never be a real subscriber's id; keyed, so it cannot be reversed without the secret. */
  hashedId(subscriberId: number): number {
    const digest = createHmac('sha256', this.deps.secret).update(`erased-subscriber:${subscriberId}`).digest();
    return -(digest.readUIntBE(0, 6) + 1);
  }

  /** Erases a stored subscriber and suppresses the address, in one store transaction. */
  async forget(subscriber: SubscriberRecord, reason: string): Promise<boolean> {
    return this.deps.store.subscribers.erase(subscriber.id, {
      hashedId: this.hashedId(subscriber.id),
      addressHash: addressHash(subscriber.email),
      reason,
      at: this.now(),
    });
  }
}
