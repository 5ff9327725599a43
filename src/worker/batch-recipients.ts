import type { CadenceFilter, Recipient, SubscriberStore } from '../subscribers/subscriber-store.ts';

/**
 * A leased batch's recipients: the subscribers store's own audience query over the batch's
 * id range (so "who still gets it" has one definition: active, subscribed, not paused on
 * `at`, not suppressed), keeping only the batch's ids.
 */
export function recipientsOfBatch(
  subscribers: Pick<SubscriberStore, 'streamRecipients'>,
  readers: { newsletterId: string; cadence?: CadenceFilter },
  at: Date,
) {
  return async (ids: readonly number[]): Promise<Recipient[]> => {
    if (ids.length === 0) return [];
    const wanted = new Set(ids);
    const found: Recipient[] = [];
    const range = {
      afterId: ids[0]! - 1,
      untilId: ids[ids.length - 1]!,
      batchSize: Math.max(100, ids.length),
      at,
      cadence: readers.cadence,
    };
    for await (const recipient of subscribers.streamRecipients(readers.newsletterId, range)) {
      if (wanted.has(recipient.id)) found.push(recipient);
    }
    return found;
  };
}
