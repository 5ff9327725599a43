import type { NewsletterConfig } from '../config/schema.ts';
import type { CadenceFilter } from '../subscribers/subscriber-store.ts';

/**
 * Who an edition of a newsletter (or of one cadence stream) goes to: subscriptions are
 * stored against the configured newsletter, so a stream reads its base newsletter's
 * subscriptions, kept to the readers whose cadence at the slot is the stream's. Every app
 * caller of streamRecipients, count and measureAudience goes through here.
 */
export interface Audience {
  /** The id subscriptions are stored under. */
  newsletterId: string;
  /** Absent for a newsletter without cadences: everyone subscribed. */
  cadence?: CadenceFilter;
}

export function audienceOf(newsletter: Pick<NewsletterConfig, 'id' | 'cadence'>, slot: Date): Audience {
  const cadence = newsletter.cadence;
  if (!cadence) return { newsletterId: newsletter.id };
  return {
    newsletterId: cadence.newsletterId,
    cadence: { name: cadence.name, isDefault: cadence.isDefault, at: slot, offered: cadence.offered },
  };
}
