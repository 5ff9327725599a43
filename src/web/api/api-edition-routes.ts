import type { FastifyRequest } from 'fastify';
import type { CurationAction } from '../../app/api/api-editions.ts';
import type { ApiOperations } from '../../app/api/api-operations.ts';
import type { ApiRoute } from './api-plugin.ts';
import {
  emptyBody,
  editionParam,
  editionSchema,
  editionSummarySchema,
  listOf,
  newsletterSchema,
  openObject,
} from './api-schemas.ts';

const TAG = 'editions';
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const nullableText = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;
const article = text(200);
const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/** The body of each curation action, as the desk's edition page sends them (src/web/desk/desk-actions.ts). */
const CURATION_BODIES: Record<Exclude<CurationAction['op'], 'approve' | 'unapprove'>, [string, object]> = {
  pin: ['Pin an article as the top story (or unpin it)', { article, pinned: { type: 'boolean', default: true } }],
  exclude: ['Leave an article out (or include it again)', { article, excluded: { type: 'boolean', default: true } }],
  move: [
    'Move an article to a position within its section (1 = first)',
    { article, position: { type: 'integer', minimum: 1 } },
  ],
  reorder: [
    'Set the order of a section',
    { category: text(64), order: { type: 'array', items: article, maxItems: 500 } },
  ],
  rewrite: [
    'Rewrite the title or summary of an article for this edition (null or empty: back to the original)',
    {
      article,
      title: nullableText(500),
      summary: nullableText(5000),
    },
  ],
  intro: ["Set the editor's introduction (null removes it)", { intro: nullableText(10_000) }],
  add: ['Add a stored article to the edition', { article, category: text(64) }],
  recategorize: ["Give an article the editor's category (trains the classifier)", { article, category: text(64) }],
  block: [
    'Keep an article, or its whole source, out of later editions',
    {
      article,
      scope: { type: 'string', enum: ['article', 'source'], default: 'article' },
    },
  ],
};

const REQUIRED: Record<string, string[]> = {
  pin: ['article'],
  exclude: ['article'],
  move: ['article', 'position'],
  reorder: ['category', 'order'],
  rewrite: ['article'],
  intro: ['intro'],
  add: ['article'],
  recategorize: ['article', 'category'],
  block: ['article'],
};

/** Newsletters, editions and their curation, approval, send and progress. */
export function editionRoutes(ops: ApiOperations): ApiRoute[] {
  const editions = ops.editions;
  const curation: ApiRoute[] = Object.entries(CURATION_BODIES).map(([op, [summary, properties]]) => ({
    method: 'POST',
    url: `/editions/:id/${op}`,
    scope: 'editions:write',
    tag: TAG,
    summary,
    params: editionParam,
    body: { type: 'object', additionalProperties: false, properties, required: REQUIRED[op] },
    response: { 200: editionSchema },
    handler: async (request, token) => ({
      body: await editions.curate(
        idOf(request),
        { op, ...(request.body as object) } as CurationAction,
        `api:${token.name}`,
      ),
    }),
  }));
  const approval: ApiRoute[] = (['approve', 'unapprove'] as const).map((op) => ({
    method: 'POST',
    url: `/editions/:id/${op}`,
    scope: 'editions:write',
    tag: TAG,
    summary: op === 'approve' ? 'Approve the edition for sending' : 'Withdraw the approval (before the send starts)',
    params: editionParam,
    body: emptyBody,
    response: { 200: editionSchema },
    handler: async (request, token) => ({ body: await editions.curate(idOf(request), { op }, `api:${token.name}`) }),
  }));
  return [
    {
      method: 'GET',
      url: '/newsletters',
      scope: 'editions:read',
      tag: 'newsletters',
      summary: 'The configured newsletters',
      response: { 200: listOf(newsletterSchema) },
      handler: async () => ({ body: { items: ops.newsletters() } }),
    },
    {
      method: 'GET',
      url: '/editions',
      scope: 'editions:read',
      tag: TAG,
      summary: 'Editions, newest first',
      querystring: { type: 'object', properties: { newsletter: text(64) } },
      response: { 200: listOf(editionSummarySchema) },
      handler: async (request) => ({
        body: { items: await editions.list((request.query as { newsletter?: string }).newsletter) },
      }),
    },
    {
      method: 'GET',
      url: '/editions/:id',
      scope: 'editions:read',
      tag: TAG,
      summary: 'An edition with its articles in curated order',
      params: editionParam,
      response: { 200: editionSchema },
      handler: async (request) => ({ body: await editions.show(idOf(request)) }),
    },
    {
      method: 'POST',
      url: '/editions',
      scope: 'editions:write',
      tag: TAG,
      summary: 'Build and save the draft of a slot (default: now), as `tidings edition build`',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          newsletter: text(64),
          at: { ...text(64), description: "ISO 8601; without an offset, in the newsletter's zone" },
        },
        required: ['newsletter'],
      },
      response: { 201: editionSchema },
      handler: async (request) => {
        const { newsletter, at } = request.body as { newsletter: string; at?: string };
        return { status: 201, body: await editions.build(newsletter, at) };
      },
    },
    ...curation,
    ...approval,
    {
      method: 'POST',
      url: '/editions/:id/send',
      scope: 'send',
      tag: TAG,
      summary: 'Start sending the edition (approved first where the newsletter requires it); follow it with progress',
      params: editionParam,
      body: emptyBody,
      response: {
        202: {
          type: 'object',
          properties: {
            started: { type: 'boolean', description: 'false: a send of it runs already' },
            edition: editionSchema,
          },
        },
      },
      handler: async (request, token) => ({
        status: 202,
        body: await editions.send(idOf(request), `api:${token.name}`),
      }),
    },
    {
      method: 'GET',
      url: '/editions/:id/progress',
      scope: 'editions:read',
      tag: TAG,
      summary: "Where the edition's send stands: ledger counts, readers not yet queued, ambiguous rows",
      params: editionParam,
      response: { 200: openObject },
      handler: async (request) => ({ body: await editions.progress(idOf(request)) }),
    },
  ];
}
