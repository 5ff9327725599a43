import type { WebhookEventType } from '../config/webhooks-schema.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Edition } from '../editions/edition.ts';
import type { Store } from '../store/store.ts';
import type { WebhookEvent, WebhookNotifier } from '../webhooks/webhook-notifier.ts';

/**
 * The store as the app operations see it once webhooks are configured: every change
 * that is an event (a signup, a confirmation, an unsubscribe, an erasure, a bounce or
 * complaint, an edition prepared, approved, sent, skipped or missed, a source failing or
 * recovering) queues it right after the change succeeded. Wrapping the ports at the
 * composition root catches every entry point (CLI, desk, subscriber pages, scheduler,
 * workers, bounce processing) through one place, without a hook in each operation.
 * The event is queued after the change, never before: a failed change fires nothing, and
 * a failed enqueue is logged and leaves the change as it is.
 */
export function withWebhookEvents(store: Store, notifier: WebhookNotifier, logger: Logger): Store {
  const fire = async (events: () => Promise<WebhookEvent | null>) => {
    try {
      const event = await events();
      if (event) await notifier.fire(event);
    } catch (error) {
      logger.warn({ error: describeError(error) }, 'webhook event not queued');
    }
  };
  return {
    ...store,
    editions: editionEvents(store, fire),
    subscribers: subscriberEvents(store, fire),
    deliveryEvents: overlay(store.deliveryEvents, {
      async record(event) {
        const fresh = await store.deliveryEvents.record(event);
        if (fresh && event.kind !== 'soft-bounce') {
          await fire(async () => ({
            type: event.kind === 'complaint' ? 'subscriber.complained' : 'subscriber.bounced',
            key: event.reportId,
            data: {
              subscriberId: event.subscriberId,
              email: (await store.subscribers.getById(event.subscriberId))?.email ?? null,
              edition: event.editionId,
              status: event.status,
              detail: event.detail,
            },
          }));
        }
        return fresh;
      },
    }),
    sources: overlay(store.sources, {
      async recordFailure(source, at, failure) {
        const before = await store.sources.getState(source);
        await store.sources.recordFailure(source, at, failure);
        if (!before || before.consecutiveFailures === 0)
          await fire(async () => ({
            type: 'source.failed',
            key: `${source}@${at.toISOString()}`,
            data: { source, error: failure.error, code: failure.errorCode },
          }));
      },
      async recordSuccess(source, at, success) {
        const before = await store.sources.getState(source);
        await store.sources.recordSuccess(source, at, success);
        if (before && before.consecutiveFailures > 0)
          await fire(async () => ({
            type: 'source.recovered',
            key: `${source}@${at.toISOString()}`,
            data: { source, failures: before.consecutiveFailures, lastError: before.lastError },
          }));
      },
    }),
  };
}

type Fire = (events: () => Promise<WebhookEvent | null>) => Promise<void>;

/** A port with some methods replaced; the rest reach the original. */
function overlay<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (property in replaced) return replaced[property as keyof T];
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

const editionData = (edition: Pick<Edition, 'id' | 'newsletterId' | 'slot' | 'statusReason'>) => ({
  edition: edition.id,
  newsletter: edition.newsletterId,
  slot: edition.slot,
  reason: edition.statusReason,
});

/** A skip the scheduler decided because the slot passed unserved is a miss (src/schedule/decide-slot.ts). */
const skipType = (reason: string | null | undefined): WebhookEventType =>
  reason?.startsWith('missed:') ? 'edition.missed' : 'edition.skipped';

function editionEvents(store: Store, fire: Fire): Store['editions'] {
  const { editions } = store;
  return overlay(editions, {
    async createEdition(edition, at) {
      const stored = await editions.createEdition(edition, at);
      if (stored.status === 'draft' || stored.status === 'skipped') {
        await fire(async () => ({
          type: stored.status === 'draft' ? 'edition.prepared' : skipType(stored.statusReason),
          key: stored.id,
          data: { ...editionData(stored), articles: stored.articles.filter((a) => !a.excluded).length },
        }));
      }
      return stored;
    },
    async setStatus(editionId, status, options) {
      const changed = await editions.setStatus(editionId, status, options);
      if (!changed || !['approved', 'sent', 'skipped'].includes(status)) return changed;
      await fire(async () => {
        const edition = await editions.getEdition(editionId);
        if (!edition) return null;
        const data = editionData(edition);
        if (status === 'approved')
          return {
            type: 'edition.approved',
            key: `${editionId}@${options.at.toISOString()}`,
            data: { ...data, approvedBy: edition.approvedBy },
          };
        if (status === 'skipped') return { type: skipType(options.reason), key: editionId, data };
        const counts = await store.ledger.counts(editionId);
        return { type: 'edition.sent', key: editionId, data: { ...data, deliveries: counts } };
      });
      return changed;
    },
  });
}

function subscriberEvents(store: Store, fire: Fire): Store['subscribers'] {
  const { subscribers } = store;
  return overlay(subscribers, {
    async createSignupRequest(request) {
      const id = await subscribers.createSignupRequest(request);
      if (request.kind === 'confirm')
        await fire(async () => ({
          type: 'subscriber.created',
          key: `signup:${id}`,
          data: { email: request.email, newsletter: request.newsletterId, status: 'unconfirmed', signupId: id },
        }));
      return id;
    },
    async markSignupConfirmed(id, at) {
      const changed = await subscribers.markSignupConfirmed(id, at);
      if (changed)
        await fire(async () => {
          const request = await subscribers.getSignupRequest(id);
          if (!request) return null;
          return {
            type: 'subscriber.confirmed',
            key: `signup:${id}`,
            data: {
              email: request.email,
              newsletter: request.newsletterId,
              categories: request.categories,
              signupId: id,
            },
          };
        });
      return changed;
    },
    async unsubscribe(subscriberId, newsletterId, at, event) {
      const changed = await subscribers.unsubscribe(subscriberId, newsletterId, at, event);
      if (changed)
        await fire(async () => ({
          type: 'subscriber.unsubscribed',
          key: `${subscriberId}/${newsletterId}@${at.toISOString()}`,
          data: {
            subscriberId,
            email: (await subscribers.getById(subscriberId))?.email ?? null,
            newsletter: newsletterId,
            channel: event?.channel ?? null,
            edition: event?.editionId ?? null,
          },
        }));
      return changed;
    },
    async erase(subscriberId, plan) {
      const erased = await subscribers.erase(subscriberId, plan);
      // No address: the person asked to be forgotten, receivers get the id they were told before.
      if (erased)
        await fire(async () => ({ type: 'subscriber.erased', key: String(subscriberId), data: { subscriberId } }));
      return erased;
    },
  });
}
