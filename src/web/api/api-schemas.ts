/**
 * JSON schemas of the API's requests and answers. Fastify validates requests with them
 * and serializes answers with them; @fastify/swagger turns them into the OpenAPI
 * document at /api/openapi.json. Objects the app layer owns (editions, exports) are
 * open (`additionalProperties: true`) so a field added there is not silently dropped.
 */

export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    field: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail'],
} as const;

const nullableString = { type: ['string', 'null'] } as const;
const nullableStrings = { type: ['array', 'null'], items: { type: 'string' } } as const;

export const subscriberSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    email: { type: 'string' },
    name: nullableString,
    locale: nullableString,
    timezone: nullableString,
    status: { type: 'string', enum: ['active', 'paused', 'bounced', 'erased'] },
    pausedUntil: nullableString,
    hardBounces: { type: 'integer' },
    subscriptions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          newsletterId: { type: 'string' },
          status: { type: 'string', enum: ['active', 'unsubscribed', 'removed'] },
          categories: nullableStrings,
          cadence: { ...nullableString, description: 'the cadence in effect; null: the newsletter offers no choice' },
          nextCadence: {
            type: ['object', 'null'],
            description: "a change of cadence waiting for the end of the reader's current period",
            properties: {
              name: { type: 'string' },
              after: { type: 'string', description: 'ISO instant: editions after it are at `name`' },
              firstEdition: { ...nullableString, description: 'id of the first edition at `name`' },
            },
          },
          updatedAt: { type: 'string' },
        },
      },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'email', 'status', 'subscriptions'],
} as const;

export const openObject = { type: 'object', additionalProperties: true } as const;

export const editionArticleSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    articleId: { type: 'string' },
    category: { type: 'string' },
    title: { type: 'string' },
    summary: nullableString,
    url: nullableString,
    source: { type: 'string' },
    position: { type: 'integer' },
    pinned: { type: 'boolean' },
    excluded: { type: 'boolean' },
  },
} as const;

const editionFields = {
  id: { type: 'string' },
  newsletterId: { type: 'string' },
  slot: { type: 'string' },
  status: { type: 'string', enum: ['draft', 'approved', 'sending', 'sent', 'skipped'] },
  statusReason: nullableString,
  intro: nullableString,
  builtAt: { type: 'string' },
  approvedAt: nullableString,
  approvedBy: nullableString,
} as const;

export const editionSchema = {
  type: 'object',
  additionalProperties: true,
  properties: { ...editionFields, articles: { type: 'array', items: editionArticleSchema } },
  required: ['id', 'newsletterId', 'slot', 'status', 'articles'],
} as const;

export const editionSummarySchema = {
  type: 'object',
  additionalProperties: true,
  properties: { ...editionFields, articles: { type: 'integer', description: 'articles not excluded' } },
  required: ['id', 'newsletterId', 'slot', 'status', 'articles'],
} as const;

export const articleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: nullableString,
    title: { type: 'string' },
    text: { type: 'string' },
    summary: nullableString,
    publishedAt: nullableString,
    categories: { type: 'array', items: { type: 'string' } },
    source: { type: 'string' },
    author: nullableString,
    imageUrl: nullableString,
    language: nullableString,
  },
  required: ['id', 'title', 'source'],
} as const;

export const newsletterSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    categories: { type: 'array', items: { type: 'string' } },
    locale: { type: 'string' },
    timezone: { type: 'string' },
    schedule: nullableString,
    signup: { type: 'boolean' },
    public: { type: 'boolean' },
    requireApproval: { type: 'boolean' },
    cadences: {
      ...nullableStrings,
      description: 'the cadences a reader may choose, the default first; null: none to choose',
    },
  },
} as const;

export const sourceSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    location: { type: 'string' },
    enabled: { type: 'boolean' },
    health: { type: 'string', enum: ['ok', 'failing', 'never'] },
    lastFetchedAt: nullableString,
    lastOkAt: nullableString,
    lastFailedAt: nullableString,
    lastError: nullableString,
    consecutiveFailures: { type: 'integer' },
    itemsPerDay: { type: 'number' },
    learning: { type: 'boolean' },
    warnings: {
      type: 'array',
      description: "The source watchdog's warnings (docs/operations.md, Source watchdog)",
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['quiet', 'repeats', 'excerpts', 'shrunk'] },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

export const sourceReportSchema = {
  type: 'object',
  properties: {
    source: { type: 'string' },
    ok: { type: 'boolean' },
    notModified: { type: 'boolean' },
    new: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    duplicate: { type: 'integer' },
    error: nullableString,
    errorCode: nullableString,
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const suppressionSchema = {
  type: 'object',
  properties: {
    addressHash: { type: 'string', description: 'SHA-256 of the normalized address' },
    reason: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

/** `{ items: [...] }`, the shape of every list (with `next` where it pages). */
export function listOf(item: object, paged = false) {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      ...(paged ? { next: { type: ['integer', 'null'], description: 'pass as `after` for the next page' } } : {}),
    },
    required: ['items'],
  } as const;
}

export const idParam = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

export const editionParam = {
  type: 'object',
  properties: { id: { type: 'string', description: 'edition id, URL-encoded (daily%2F2026-11-28T07%3A00)' } },
  required: ['id'],
} as const;

/** The body of an action without fields (approve, send): nothing, or `{}`. */
export const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;
