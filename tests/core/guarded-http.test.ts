import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTidingsError, type TidingsError } from '../../src/core/errors.ts';
import { refusedRange } from '../../src/core/http/address-policy.ts';
import { lookupAll, type LookupAll } from '../../src/core/http/guarded-connect.ts';
import { createHttpClient, type HttpClient } from '../../src/core/http/http-client.ts';

const limits = { maxBytes: 1 << 20, timeout: 5000, maxRedirects: 3, userAgent: 'TidingsTest/1.0' };

/** A real server on 127.0.0.1 that counts connections and requests per path. */
let server: http.Server;
let port: number;
let connections = 0;
const hits: Record<string, number> = {};

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    const redirect = /^\/redirect\/(.+)$/.exec(path);
    if (redirect) return void response.writeHead(302, { location: decodeURIComponent(redirect[1]!) }).end();
    response.writeHead(200, { 'content-type': 'text/plain', connection: 'keep-alive' }).end(`served ${path}`);
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<TidingsError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isTidingsError(error)) throw new Error(`expected a TidingsError, got ${String(error)}`);
  return error;
}

async function withClient<T>(client: HttpClient, use: (client: HttpClient) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

describe('the guarded HTTP client', () => {
  it('does not let a link to localhost use the kept-alive connection of the configured feed on localhost', async () => {
    await withClient(createHttpClient(limits), async (client) => {
      const feed = await client.get(`http://localhost:${port}/feed.xml`);
      expect(Buffer.from(feed.bytes).toString()).toBe('served /feed.xml');
      const before = connections;
      const error = await failure(client.get(`http://localhost:${port}/page-1`, { untrusted: true }));
      expect(error.code).toBe('SOURCE_UNSAFE');
      expect(error.message).toContain(`http://localhost:${port}/page-1`);
      expect(error.message).toMatch(/localhost resolves to [0-9a-f.:]+, which is not a public address \(loopback\)/);
      expect(hits['/page-1'] ?? 0).toBe(0);
      expect(connections).toBe(before);
      // The operator's own URL still goes over the kept-alive connection.
      await client.get(`http://localhost:${port}/feed.xml`);
      expect(connections).toBe(before);
    });
  });

  it('checks the addresses the connect step resolves, NAT64, 6to4, Teredo and mapped forms included, before connecting', async () => {
    const asked: string[] = [];
    const names: Record<string, string> = {
      'nat64.test': '64:ff9b::7f00:1',
      'sixtofour.test': '2002:c0a8:101::1',
      'teredo.test': '2001:0:a00:1::808:808',
      'mapped.test': '::ffff:127.0.0.1',
      'ula.test': 'fd00::1',
      'linklocal.test': 'fe80::1',
      'docs.test': '2001:db8::1',
      'metadata.test': '169.254.169.254',
    };
    const lookup: LookupAll = async (hostname) => {
      asked.push(hostname);
      const address = names[hostname]!;
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    };
    await withClient(createHttpClient(limits, { lookup }), async (client) => {
      for (const [name, address] of Object.entries(names)) {
        const error = await failure(client.get(`http://${name}:${port}/x`, { untrusted: true }));
        expect(error.code, name).toBe('SOURCE_UNSAFE');
        expect(error.message, name).toContain(
          `${name} resolves to ${address}, which is not a public address (${refusedRange(address)})`,
        );
      }
    });
    expect(asked).toEqual(Object.keys(names));
  });

  it('refuses a host when one of its addresses is not public, and IP literals without a lookup', async () => {
    const lookup: LookupAll = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '64:ff9b::a00:7', family: 6 },
    ];
    await withClient(createHttpClient(limits, { lookup }), async (client) => {
      expect((await failure(client.get('http://mixed.test/page', { untrusted: true }))).message).toContain(
        '64:ff9b::a00:7, which is not a public address (NAT64 of private)',
      );
      for (const literal of ['[64:ff9b::7f00:1]', '[::ffff:7f00:1]', '[2002:7f00:1::1]', '127.0.0.1']) {
        const error = await failure(client.get(`http://${literal}:${port}/literal`, { untrusted: true }));
        expect(error.code, literal).toBe('SOURCE_UNSAFE');
      }
    });
    expect(hits['/literal'] ?? 0).toBe(0);
  });

  it('checks every redirect hop: a public site redirecting to a loopback address is refused', async () => {
    // site.test stands in for a public site: the test's policy lets it through by name.
    const lookup: LookupAll = async (hostname) =>
      hostname === 'site.test' ? [{ address: '127.0.0.1', family: 4 }] : lookupAll(hostname);
    const policy = (address: string, hostname: string) => (hostname === 'site.test' ? null : refusedRange(address));
    await withClient(createHttpClient(limits, { lookup, policy }), async (client) => {
      const allowed = await client.get(`http://site.test:${port}/public`, { untrusted: true });
      expect(Buffer.from(allowed.bytes).toString()).toBe('served /public');
      for (const target of [
        `http://localhost:${port}/secret`,
        `http://[::ffff:7f00:1]:${port}/secret`,
        `http://127.0.0.1:${port}/secret`,
      ]) {
        const error = await failure(
          client.get(`http://site.test:${port}/redirect/${encodeURIComponent(target)}`, { untrusted: true }),
        );
        expect(error.code, target).toBe('SOURCE_UNSAFE');
        expect(error.message, target).toContain(`refused to fetch ${new URL(target).href}`);
      }
      // The operator's own URL may be redirected anywhere.
      const configured = await client.get(
        `http://site.test:${port}/redirect/${encodeURIComponent(`http://localhost:${port}/secret`)}`,
      );
      expect(Buffer.from(configured.bytes).toString()).toBe('served /secret');
    });
    expect(hits['/secret']).toBe(1);
  });

  it('lets untrusted URLs reach private addresses with allowPrivateNetworks, connecting to the address it resolved', async () => {
    const lookup: LookupAll = async () => [{ address: '127.0.0.1', family: 4 }];
    await withClient(createHttpClient({ ...limits, allowPrivateNetworks: true }, { lookup }), async (client) => {
      const response = await client.get(`http://intranet.test:${port}/allowed`, { untrusted: true });
      expect(Buffer.from(response.bytes).toString()).toBe('served /allowed');
    });
  });
});
