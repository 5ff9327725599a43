import type { FastifyRequest } from 'fastify';
import type { ApiOperations } from '../../app/api/api-operations.ts';
import type { ApiRoute } from './api-plugin.ts';
import { editionParam, editionSchema, openObject } from './api-schemas.ts';

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

const storyClicks = {
  type: 'object',
  properties: {
    articleId: { type: 'string' },
    title: { type: 'string' },
    source: { type: 'string' },
    clicks: { type: 'integer' },
  },
} as const;

const editionClicks = {
  type: 'object',
  properties: {
    editionId: { type: 'string' },
    minCount: { type: 'integer' },
    stories: { type: 'array', items: storyClicks },
    hiddenStories: { type: 'integer', description: 'stories clicked fewer than minCount times (counted, not shown)' },
    filtered: { type: 'integer', description: 'requests redirected but not counted (scanners, prefetches, HEAD)' },
  },
} as const;

/**
 * "Add this link" into a draft (the desk's form and `tidings edition add-url`) and the
 * aggregate click reports (the desk's /desk/clicks and /metrics): the same app operations.
 */
export function signalRoutes(ops: ApiOperations): ApiRoute[] {
  return [
    {
      method: 'POST',
      url: '/editions/:id/links',
      scope: 'editions:write',
      tag: 'editions',
      summary:
        'Add a link to a draft: fetched under the fetch policy, extracted, summarized and categorized; when the page cannot be fetched, the title (required then) and summary given stand in',
      params: editionParam,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          url: { type: 'string', minLength: 1, maxLength: 2000 },
          title: { type: ['string', 'null'], maxLength: 500 },
          summary: { type: ['string', 'null'], maxLength: 5000 },
          category: { type: ['string', 'null'], maxLength: 64 },
        },
        required: ['url'],
      },
      response: {
        201: {
          type: 'object',
          properties: {
            articleId: { type: 'string' },
            fetched: { type: 'boolean' },
            fetchProblem: { type: ['string', 'null'] },
            edition: editionSchema,
          },
        },
      },
      handler: async (request, token) => {
        const body = request.body as {
          url: string;
          title?: string | null;
          summary?: string | null;
          category?: string | null;
        };
        const added = await ops.addLink({ ...body, editionId: idOf(request), actor: `api:${token.name}` });
        return {
          status: 201,
          body: {
            articleId: added.articleId,
            fetched: added.fetched,
            fetchProblem: added.fetchProblem,
            edition: added.edition,
          },
        };
      },
    },
    {
      method: 'GET',
      url: '/editions/:id/clicks',
      scope: 'editions:read',
      tag: 'clicks',
      summary:
        "An edition's most-read stories (aggregate clicks, no reader identity; only counts of at least analytics.minCount)",
      params: editionParam,
      response: { 200: editionClicks },
      handler: async (request) => ({ body: await ops.clicks.editionReport(idOf(request)) }),
    },
    {
      method: 'GET',
      url: '/clicks/sources',
      scope: 'editions:read',
      tag: 'clicks',
      summary:
        "Each source's clicks and click-through over the last days (default 30; only counts of at least analytics.minCount)",
      querystring: {
        type: 'object',
        properties: {
          newsletter: { type: 'string', maxLength: 64 },
          days: { type: 'integer', minimum: 1, maximum: 365, default: 30 },
        },
      },
      response: { 200: openObject },
      handler: async (request) => {
        const { newsletter, days } = request.query as { newsletter?: string; days: number };
        return { body: await ops.clicks.sourceReport(newsletter, days) };
      },
    },
  ];
}
