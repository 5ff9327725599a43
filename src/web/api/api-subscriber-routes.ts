import type { FastifyRequest } from 'fastify';
import type { ApiOperations } from '../../app/api/api-operations.ts';
import type { CadenceState } from '../../app/subscribers/reader-cadence.ts';
import type { SubscriberRecord, Subscription } from '../../subscribers/subscriber-store.ts';
import type { ApiRoute } from './api-plugin.ts';
import { idParam, listOf, openObject, subscriberSchema, suppressionSchema } from './api-schemas.ts';

const TAG = 'subscribers';
const slug = { type: 'string', maxLength: 64 } as const;
const date = {
  type: ['string', 'null'],
  format: 'date',
  description: 'YYYY-MM-DD (UTC); null ends the pause',
} as const;

/**
 * What the API shows of a subscriber: no internal origins or hashes. `cadence` is the
 * cadence in effect (null where the newsletter offers no choice), `nextCadence` a change
 * waiting for the end of the reader's period.
 */
function view(s: SubscriberRecord, cadenceOf: (subscription: Subscription) => CadenceState | null) {
  return {
    id: s.id,
    email: s.email,
    name: s.name,
    locale: s.locale,
    timezone: s.timezone,
    status: s.status,
    pausedUntil: s.pausedUntil,
    hardBounces: s.hardBounces,
    subscriptions: s.subscriptions.map((subscription) => {
      const cadence = cadenceOf(subscription);
      const pending = cadence?.pending ?? null;
      return {
        newsletterId: subscription.newsletterId,
        status: subscription.status,
        categories: subscription.categories,
        cadence: cadence?.current ?? null,
        nextCadence: pending
          ? { name: pending.name, after: pending.after, firstEdition: pending.firstEdition?.id ?? null }
          : null,
        updatedAt: subscription.updatedAt,
      };
    }),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

const idOf = (request: FastifyRequest) => (request.params as { id: number }).id;

/** Subscribers and suppressions: the operations of `tidings subscribers …` and `tidings suppressions …`. */
export function subscriberRoutes(ops: ApiOperations): ApiRoute[] {
  const subscribers = ops.subscribers;
  const show = (record: SubscriberRecord) => view(record, (subscription) => subscribers.cadence(subscription));
  return [
    {
      method: 'GET',
      url: '/subscribers',
      scope: 'subscribers:read',
      tag: TAG,
      summary: 'List or search subscribers, by id, a page at a time',
      querystring: {
        type: 'object',
        properties: {
          newsletter: slug,
          q: { type: 'string', maxLength: 320, description: 'part of the address or name' },
          after: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
        },
      },
      response: { 200: listOf(subscriberSchema, true) },
      handler: async (request) => {
        const query = request.query as { newsletter?: string; q?: string; after?: number; limit: number };
        const page = await subscribers.list(query);
        return { body: { items: page.items.map(show), next: page.next } };
      },
    },
    {
      method: 'GET',
      url: '/subscribers/:id',
      scope: 'subscribers:read',
      tag: TAG,
      summary: 'One subscriber',
      params: idParam,
      response: { 200: subscriberSchema },
      handler: async (request) => ({ body: show(await subscribers.get(idOf(request))) }),
    },
    {
      method: 'POST',
      url: '/subscribers',
      scope: 'subscribers:write',
      tag: TAG,
      summary: 'Add an address to a newsletter: a confirmation mail (double opt-in) unless `confirmed` is true',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          email: { type: 'string', maxLength: 320 },
          newsletter: slug,
          name: { type: ['string', 'null'], maxLength: 256 },
          categories: { type: ['array', 'null'], items: slug, maxItems: 100 },
          locale: { type: ['string', 'null'], maxLength: 35 },
          cadence: {
            type: ['string', 'null'],
            maxLength: 64,
            description: "one of the newsletter's `cadences` (GET /newsletters); null or absent: the first",
          },
          confirmed: { type: 'boolean', default: false, description: 'the caller vouches for the consent' },
        },
        required: ['email', 'newsletter'],
      },
      response: {
        201: {
          type: 'object',
          properties: { state: { type: 'string', enum: ['subscribed'] }, subscriber: subscriberSchema },
        },
        202: {
          type: 'object',
          properties: { state: { type: 'string', enum: ['confirmation-sent'] } },
        },
      },
      handler: async (request, token) => {
        const { newsletter, confirmed, ...input } = request.body as {
          newsletter: string;
          confirmed: boolean;
          email: string;
        };
        const result = await subscribers.add(newsletter, input, confirmed, `api:${token.name}`);
        if (result.state === 'confirmation-sent') return { status: 202, body: { state: result.state } };
        return {
          status: 201,
          body: { state: result.state, subscriber: show(await subscribers.get(result.subscriberId!)) },
        };
      },
    },
    {
      method: 'PATCH',
      url: '/subscribers/:id',
      scope: 'subscribers:write',
      tag: TAG,
      summary:
        "Change categories or cadence (of one newsletter), locale, time zone or pause, as the reader's preferences page does",
      params: idParam,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          newsletter: slug,
          categories: { type: ['array', 'null'], items: slug, maxItems: 100, description: 'null: every category' },
          cadence: {
            ...slug,
            description:
              "one of the newsletter's `cadences`: in effect after the reader's current period (see `nextCadence`)",
          },
          locale: { type: ['string', 'null'], maxLength: 35 },
          timezone: { type: ['string', 'null'], maxLength: 64 },
          pausedUntil: date,
        },
      },
      response: { 200: subscriberSchema },
      handler: async (request) => ({ body: show(await subscribers.update(idOf(request), request.body as object)) }),
    },
    {
      method: 'POST',
      url: '/subscribers/:id/pause',
      scope: 'subscribers:write',
      tag: TAG,
      summary: 'Pause mail until a day (null: resume now)',
      params: idParam,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { until: date },
        required: ['until'],
      },
      response: { 200: subscriberSchema },
      handler: async (request) => {
        const { until } = request.body as { until: string | null };
        return { body: show(await subscribers.update(idOf(request), { pausedUntil: until })) };
      },
    },
    {
      method: 'POST',
      url: '/subscribers/:id/unsubscribe',
      scope: 'subscribers:write',
      tag: TAG,
      summary: 'End the subscriptions (or the one named) as if the reader had clicked unsubscribe',
      params: idParam,
      body: { type: 'object', additionalProperties: false, properties: { newsletter: slug } },
      response: {
        200: { type: 'object', properties: { unsubscribed: { type: 'array', items: { type: 'string' } } } },
      },
      handler: async (request) => {
        const { newsletter } = (request.body ?? {}) as { newsletter?: string };
        return { body: { unsubscribed: await subscribers.unsubscribe(idOf(request), newsletter) } };
      },
    },
    {
      method: 'DELETE',
      url: '/subscribers/:id',
      scope: 'subscribers:write',
      tag: TAG,
      summary: 'Erase a person: personal fields removed, ledger rows kept under a hashed id, the address suppressed',
      params: idParam,
      response: { 200: { type: 'object', properties: { erased: { type: 'boolean' } } } },
      handler: async (request) => ({ body: { erased: await subscribers.erase(idOf(request)) } }),
    },
    {
      method: 'GET',
      url: '/subscribers/:id/export',
      scope: 'subscribers:read',
      tag: TAG,
      summary: 'Everything stored about a person (as `tidings subscribers export`)',
      params: idParam,
      response: { 200: openObject },
      handler: async (request) => ({ body: await subscribers.export(idOf(request)) }),
    },
    ...suppressionRoutes(ops),
  ];
}

function suppressionRoutes(ops: ApiOperations): ApiRoute[] {
  const tag = 'suppressions';
  const email = { type: 'string', maxLength: 320 } as const;
  return [
    {
      method: 'GET',
      url: '/suppressions',
      scope: 'subscribers:read',
      tag,
      summary: 'Addresses never to be added or mailed again (as SHA-256 hashes)',
      response: { 200: listOf(suppressionSchema) },
      handler: async () => ({ body: { items: await ops.suppressions.listSuppressions() } }),
    },
    {
      method: 'POST',
      url: '/suppressions',
      scope: 'subscribers:write',
      tag,
      summary: 'Suppress an address',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { email, reason: { type: 'string', maxLength: 500 } },
        required: ['email'],
      },
      response: { 200: { type: 'object', properties: { added: { type: 'boolean' } } } },
      handler: async (request) => {
        const { email: address, reason } = request.body as { email: string; reason?: string };
        return { body: { added: await ops.suppressions.addSuppression(address, reason ?? 'added through the API') } };
      },
    },
    {
      method: 'DELETE',
      url: '/suppressions/:email',
      scope: 'subscribers:write',
      tag,
      summary: 'Lift a suppression (the next sync may add the address again)',
      params: { type: 'object', properties: { email }, required: ['email'] },
      response: { 200: { type: 'object', properties: { removed: { type: 'boolean' } } } },
      handler: async (request) => ({
        body: { removed: await ops.suppressions.removeSuppression((request.params as { email: string }).email) },
      }),
    },
  ];
}
