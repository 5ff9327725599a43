import type { ApiOperations } from '../../app/api/api-operations.ts';
import type { ApiRoute } from './api-plugin.ts';
import { articleSchema, listOf, sourceReportSchema, sourceSchema } from './api-schemas.ts';

const limit = { type: 'integer', minimum: 1, maximum: 500, default: 50 } as const;

/**
 * Articles (list, search) and sources (health, ingest now). Adding an article by URL is
 * `POST /editions/{id}/links` (api-signal-routes.ts), into a draft as on the desk.
 */
export function contentRoutes(ops: ApiOperations): ApiRoute[] {
  const content = ops.content;
  return [
    {
      method: 'GET',
      url: '/articles',
      scope: 'editions:read',
      tag: 'articles',
      summary: 'Stored articles, newest first',
      querystring: {
        type: 'object',
        properties: {
          category: { type: 'string', maxLength: 64 },
          since: { type: 'string', maxLength: 64, description: 'a duration back from now (24h, 7d) or an ISO time' },
          limit,
        },
      },
      response: { 200: listOf(articleSchema) },
      handler: async (request) => {
        const query = request.query as { category?: string; since?: string; limit: number };
        return { body: { items: await content.listArticles(query) } };
      },
    },
    {
      method: 'GET',
      url: '/articles/search',
      scope: 'editions:read',
      tag: 'articles',
      summary: 'Full-text search over titles and text (words, prefixes with *, phrases in quotes); best match first',
      querystring: {
        type: 'object',
        properties: { q: { type: 'string', minLength: 1, maxLength: 200 }, limit },
        required: ['q'],
      },
      response: { 200: listOf(articleSchema) },
      handler: async (request) => {
        const { q, limit: max } = request.query as { q: string; limit: number };
        return { body: { items: await content.searchArticles(q, max) } };
      },
    },
    {
      method: 'GET',
      url: '/sources',
      scope: 'sources:read',
      tag: 'sources',
      summary: 'The configured sources with their health (last fetch, last success, failures in a row)',
      response: { 200: listOf(sourceSchema) },
      handler: async () => ({ body: { items: await content.listSources() } }),
    },
    {
      method: 'POST',
      url: '/sources/ingest',
      scope: 'sources:write',
      tag: 'sources',
      summary: 'Ingest one source (or every enabled one) now, due or not',
      body: { type: 'object', additionalProperties: false, properties: { source: { type: 'string', maxLength: 200 } } },
      response: { 200: listOf(sourceReportSchema) },
      handler: async (request) => {
        const { source } = (request.body ?? {}) as { source?: string };
        return { body: { items: await content.ingest(source) } };
      },
    },
  ];
}
