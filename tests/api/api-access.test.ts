import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { startApiServer, type ApiServer } from './support/api-server.ts';

const servers: ApiServer[] = [];
const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const drop of drops.splice(0)) await drop();
});

const problemOf = async (response: Response) => {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await response.json();
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^urn:tidings:problem:/),
      title: expect.any(String),
      status: response.status,
      detail: expect.any(String),
    }),
  );
  return body;
};

/** Tokens and idempotency keys live in the store: the same checks on SQLite and on PostgreSQL. */
function accessSuite(name: string, storeUrl: () => Promise<string | undefined>) {
  describe(`${name}: tokens and Idempotency-Key`, () => {
    const tempDir = useTempDir('tidings-api-access-');
    const start = async (options: { apiPerMinute?: number } = {}) => {
      const server = await startApiServer(tempDir(), { ...options, storeUrl: await storeUrl() });
      servers.push(server);
      return server;
    };

    it('answers 401 problem+json without a token, with an unknown one and with a revoked one', async () => {
      const server = await start();
      const token = await server.token('crm', ['subscribers:read']);
      expect((await server.call(token, 'GET', '/api/v1/suppressions')).status).toBe(200);
      for (const bearer of [null, 'tdg_not-a-token', `${token}x`]) {
        const response = await server.call(bearer, 'GET', '/api/v1/suppressions');
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        await problemOf(response);
      }
      expect(await server.ops.access.revoke('crm')).toBe(true);
      const revoked = await server.call(token, 'GET', '/api/v1/suppressions');
      expect(revoked.status).toBe(401);
      expect((await problemOf(revoked)).detail).toMatch(/live token/);
      // Its last use before the revocation is recorded.
      const [listed] = await server.ops.access.list();
      expect(listed).toMatchObject({
        name: 'crm',
        lastUsedAt: '2026-11-28T07:00:00.000Z',
        revokedAt: expect.any(String),
      });
    }, 120_000);

    it('replays the first answer to a retry with the same key, without doing it twice; another body is 422', async () => {
      const server = await start();
      const token = await server.token('zap', ['subscribers:read', 'subscribers:write']);
      const other = await server.token('other', ['subscribers:write']);
      const add = { email: 'new.reader@example.org', newsletter: 'daily', name: 'New Reader', confirmed: true };
      const key = { 'idempotency-key': 'add-new-reader-1' };
      const first = await server.call(token, 'POST', '/api/v1/subscribers', add, key);
      expect(first.status).toBe(201);
      const created = await first.json();
      expect(created).toMatchObject({ state: 'subscribed', subscriber: { email: 'new.reader@example.org' } });

      const retry = await server.call(token, 'POST', '/api/v1/subscribers', add, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await retry.json()).toEqual(created);
      const found = await server.call(token, 'GET', '/api/v1/subscribers?q=new.reader');
      expect((await found.json()).items).toHaveLength(1);

      // A suppression added twice under one key says "added" twice: the second call did not run.
      const suppress = { email: 'spam.trap@example.org' };
      const once = { 'idempotency-key': 'suppress-1' };
      for (let i = 0; i < 2; i++) {
        const response = await server.call(token, 'POST', '/api/v1/suppressions', suppress, once);
        expect(await response.json()).toEqual({ added: true });
      }
      const again = await server.call(token, 'POST', '/api/v1/suppressions', suppress);
      expect(await again.json()).toEqual({ added: false });

      const changed = await server.call(token, 'POST', '/api/v1/subscribers', { ...add, name: 'Someone Else' }, key);
      expect(changed.status).toBe(422);
      expect((await problemOf(changed)).type).toBe('urn:tidings:problem:idempotency-key-reused');
      // Keys are per token.
      const elsewhere = await server.call(other, 'POST', '/api/v1/suppressions', { email: 'x@example.org' }, once);
      expect(await elsewhere.json()).toEqual({ added: true });
    }, 120_000);

    it('limits each token to web.rateLimit.apiPerMinute: 429 problem+json with Retry-After', async () => {
      const server = await start({ apiPerMinute: 3 });
      const busy = await server.token('busy', ['editions:read']);
      const calm = await server.token('calm', ['editions:read']);
      for (let i = 0; i < 3; i++) expect((await server.call(busy, 'GET', '/api/v1/newsletters')).status).toBe(200);
      const limited = await server.call(busy, 'GET', '/api/v1/newsletters');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await problemOf(limited)).title).toBe('Too many requests');
      expect((await server.call(calm, 'GET', '/api/v1/newsletters')).status).toBe(200);
    }, 120_000);
  });
}

accessSuite('SQLite', async () => undefined);
describe.skipIf(!PG_TEST_URL)('PostgreSQL (TIDINGS_TEST_PG_URL)', () => {
  accessSuite('PostgreSQL', async () => {
    const database = await createTestDatabase('tidings_api');
    drops.push(database.drop);
    return database.url;
  });
});

describe('problem+json for bad requests', () => {
  const tempDir = useTempDir('tidings-api-problems-');
  it('names the schema violation (400) and the field the app refused (422)', async () => {
    const server = await startApiServer(tempDir());
    servers.push(server);
    const token = await server.token('w', ['subscribers:write', 'editions:read']);
    const missing = await server.call(token, 'POST', '/api/v1/subscribers', { email: 'a@example.org' });
    expect(missing.status).toBe(400);
    expect((await problemOf(missing)).detail).toMatch(/newsletter/);
    const badId = await server.call(token, 'GET', '/api/v1/articles?limit=0');
    expect(badId.status).toBe(400);
    await problemOf(badId);
    const badAddress = await server.call(token, 'POST', '/api/v1/subscribers', {
      email: 'no-at-sign',
      newsletter: 'daily',
    });
    expect(badAddress.status).toBe(422);
    expect(await problemOf(badAddress)).toMatchObject({ field: 'email' });
    const unknown = await server.call(token, 'POST', '/api/v1/subscribers', {
      email: 'a@example.org',
      newsletter: 'nope',
    });
    expect(unknown.status).toBe(404);
    await problemOf(unknown);
    const notJson = await fetch(`${server.url}/api/v1/subscribers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(notJson.status).toBe(400);
    await problemOf(notJson);
  }, 120_000);
});
