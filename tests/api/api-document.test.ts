import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '../../src/app/api/api-access.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { startApiServer, type ApiServer } from './support/api-server.ts';

/**
 * The CI check of the API: every route under /api/v1 has its schemas and is in the
 * OpenAPI document, and every route's scope is enforced (403 problem+json without it).
 */
describe('the JSON API and its OpenAPI document', () => {
  const tempDir = useTempDir('tidings-api-doc-');
  const routes: RouteOptions[] = [];
  let server: ApiServer;
  let document: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  beforeAll(async () => {
    // A module before the API sees every route the server registers.
    server = await startApiServer(tempDir(), {
      modules: [(app) => void app.addHook('onRoute', (route) => void routes.push(route))],
    });
    const response = await server.call(null, 'GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    document = await response.json();
  }, 120_000);
  afterAll(() => server?.close());

  const apiRoutes = () =>
    routes
      .filter((route) => route.url.startsWith('/api/v1/'))
      .flatMap((route) => [route.method].flat().map((method) => ({ ...route, method })))
      .filter((route) => route.method !== 'HEAD');

  it('is OpenAPI 3.1 and lists every route under /api/v1 with its schemas', () => {
    expect(document.openapi).toBe('3.1.0');
    const listed = apiRoutes();
    expect(listed.length).toBeGreaterThan(25);
    for (const route of listed) {
      const where = `${route.method} ${route.url}`;
      const schema = route.schema as Record<string, unknown> | undefined;
      expect(schema, `${where} has no schema`).toBeDefined();
      const responses = Object.keys((schema!.response as object | undefined) ?? {});
      expect(
        responses.some((code) => /^2\d\d$/.test(code)),
        `${where}: no success response schema`,
      ).toBe(true);
      if (route.url.includes(':')) expect(schema!.params, `${where}: no params schema`).toBeDefined();
      if (['POST', 'PATCH'].includes(route.method)) expect(schema!.body, `${where}: no body schema`).toBeDefined();
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${where} is missing from /api/openapi.json`).toBeDefined();
      for (const code of responses)
        expect(Object.keys(operation!.responses).map((c) => c.toUpperCase())).toContain(code.toUpperCase());
    }
    // And nothing in the document that the server does not serve.
    const served = new Set(listed.map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`));
    for (const [path, operations] of Object.entries(document.paths))
      for (const method of Object.keys(operations)) expect(served).toContain(`${method} ${path}`);
  });

  it('enforces every route scope: 403 problem+json without it, past the check with only it', async () => {
    const tokens = new Map<string, { without: string; only: string }>();
    for (const scope of API_SCOPES)
      tokens.set(scope, {
        without: await server.token(
          `without-${scope.replace(':', '-')}`,
          API_SCOPES.filter((s) => s !== scope),
        ),
        only: await server.token(`only-${scope.replace(':', '-')}`, [scope]),
      });
    for (const route of apiRoutes()) {
      const scope = (route.config as { scope?: string } | undefined)?.scope;
      expect(API_SCOPES, `${route.method} ${route.url} has no known scope`).toContain(scope);
      // Params that lead nowhere: a route past the scope check answers 400, 404 or 422, never 401/403.
      const url = route.url
        .replace(':id', route.url.startsWith('/api/v1/editions') ? 'nowhere%2F2026-01-01T07%3A00' : '999999')
        .replace(':email', 'nobody%40example.org');
      const body = ['POST', 'PATCH'].includes(route.method) ? { source: 'no-such-source' } : undefined;
      const denied = await server.call(tokens.get(scope!)!.without, route.method, url, body);
      expect(denied.status, `${route.method} ${route.url} without ${scope}`).toBe(403);
      expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await denied.json()).toMatchObject({
        status: 403,
        title: 'Forbidden',
        detail: expect.stringContaining(scope!),
      });
      const allowed = await server.call(tokens.get(scope!)!.only, route.method, url, body);
      expect([401, 403], `${route.method} ${route.url} with ${scope}: ${allowed.status}`).not.toContain(allowed.status);
    }
  }, 120_000);
});
