import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLimits } from '../../src/config/schema.ts';
import { SourceError } from '../../src/core/errors.ts';
import { decodeText } from '../../src/ingest/decode-text.ts';
import { fetchOnce } from '../helpers/fetch-once.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';

const FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title><link>http://local.example/</link>
<item><title>Grüße vom Server</title><link>/posts/1</link></item></channel></rss>`;
const RUSSIAN_FEED = `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Новости</title><item><title>Привет, мир</title></item></channel></rss>`;

const limits: FetchLimits = { maxBytes: 64 * 1024, timeout: 1500, maxRedirects: 3, userAgent: 'TidingsTest/1.0' };
let server: http.Server;
let base: string;
const seenUserAgents: string[] = [];
const openResponses = new Set<http.ServerResponse>();

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  seenUserAgents.push(String(req.headers['user-agent']));
  const redirect = (to: string, status = 302) => {
    res.writeHead(status, { location: to });
    res.end();
  };
  const chain = /^\/chain\/(\d+)$/.exec(path);
  if (chain)
    return void (Number(chain[1]) === 0 ? redirect('/feed.xml', 301) : redirect(`/chain/${Number(chain[1]) - 1}`, 307));
  switch (path) {
    case '/feed.xml':
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      return void res.end(FEED);
    case '/redirect':
      return void redirect('feed.xml');
    case '/loop-a':
      return void redirect('/loop-b');
    case '/loop-b':
      return void redirect('/loop-a');
    case '/to-file':
      return void redirect('file:///etc/passwd');
    case '/wrong-type':
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.end(FEED);
    case '/gzip':
      res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' });
      return void res.end(zlib.gzipSync(FEED));
    case '/deflate-raw':
      res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'deflate' });
      return void res.end(zlib.deflateRawSync(FEED));
    case '/br':
      res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'br' });
      return void res.end(zlib.brotliCompressSync(FEED));
    case '/gzip-bomb':
      res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' });
      return void res.end(zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20)));
    case '/missing':
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('nope');
    case '/unavailable':
      res.writeHead(503);
      return void res.end();
    case '/big-declared':
      res.writeHead(200, { 'content-length': String(limits.maxBytes + 1), 'content-type': 'text/xml' });
      return void res.end(Buffer.alloc(limits.maxBytes + 1, 0x20));
    case '/big-chunked': {
      res.writeHead(200, { 'content-type': 'text/xml' });
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(16 * 1024, 0x20));
      return void res.end();
    }
    case '/slow':
      openResponses.add(res);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<rss>');
      return; // never finishes
    case '/koi8':
      res.writeHead(200, { 'content-type': 'application/xml; charset=koi8-r' });
      return void res.end(iconv.encode(RUSSIAN_FEED, 'koi8-r'));
    default:
      res.writeHead(500);
      res.end();
  }
}

beforeAll(async () => {
  server = http.createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of openResponses) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function fetchError(url: string, overrides: Partial<FetchLimits> = {}): Promise<SourceError> {
  try {
    await fetchOnce(url, { ...limits, ...overrides });
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error(`expected fetching ${url} to fail`);
}

function titles(resource: { bytes: Uint8Array; contentType: string | null; location: string }): string[] {
  const text = decodeText(resource.bytes, { contentType: resource.contentType, kind: 'xml' });
  return parseFeed(text, { baseUrl: resource.location }).drafts.map((d) => d.title);
}

describe('the HTTP client', () => {
  it('fetches a feed with the configured User-Agent', async () => {
    const resource = await fetchOnce(`${base}/feed.xml`, limits);
    expect(resource).toMatchObject({ contentType: 'application/rss+xml; charset=utf-8', location: `${base}/feed.xml` });
    expect(titles(resource)).toEqual(['Grüße vom Server']);
    expect(seenUserAgents).toContain('TidingsTest/1.0');
  });

  it('follows relative redirects and a chain up to maxRedirects, reporting the final URL', async () => {
    expect((await fetchOnce(`${base}/redirect`, limits)).location).toBe(`${base}/feed.xml`);
    const resource = await fetchOnce(`${base}/chain/2`, limits);
    expect(resource.location).toBe(`${base}/feed.xml`);
    expect(titles(resource)).toEqual(['Grüße vom Server']);
  });

  it('refuses too many redirects', async () => {
    const error = await fetchError(`${base}/chain/5`);
    expect(error.code).toBe('SOURCE_FETCH');
    expect(error.message).toMatch(/too many redirects \(more than 3\)/);
    expect((await fetchError(`${base}/redirect`, { maxRedirects: 0 })).message).toMatch(/too many redirects/);
  });

  it('detects a redirect loop', async () => {
    const error = await fetchError(`${base}/loop-a`, { maxRedirects: 10 });
    expect(error.message).toMatch(/redirect loop/);
  });

  it('refuses redirects and URLs that are not http(s)', async () => {
    expect((await fetchError(`${base}/to-file`)).message).toMatch(/file: URL refused/);
    expect((await fetchError('ftp://127.0.0.1/feed.xml')).message).toMatch(/only http\(s\)/);
  });

  it('times out on a slow response with SOURCE_TIMEOUT (retryable)', async () => {
    const started = performance.now();
    const error = await fetchError(`${base}/slow`, { timeout: 300 });
    expect(error.code).toBe('SOURCE_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('/slow');
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('hands back bytes whatever the content type says; the parser looks at the content', async () => {
    const resource = await fetchOnce(`${base}/wrong-type`, limits);
    expect(resource.contentType).toBe('image/png');
    expect(titles(resource)).toEqual(['Grüße vom Server']);
  });

  it.each(['gzip', 'deflate-raw', 'br'])('decodes %s bodies', async (path) => {
    expect(titles(await fetchOnce(`${base}/${path}`, limits))).toEqual(['Grüße vom Server']);
  });

  it('reports 404 as SOURCE_FETCH naming the URL and status, not retryable; 503 retryable', async () => {
    const missing = await fetchError(`${base}/missing`);
    expect(missing).toMatchObject({ code: 'SOURCE_FETCH', retryable: false });
    expect(missing.message).toContain(`HTTP 404 Not Found for ${base}/missing`);
    const unavailable = await fetchError(`${base}/unavailable`);
    expect(unavailable).toMatchObject({ code: 'SOURCE_FETCH', retryable: true });
    expect(unavailable.message).toContain('HTTP 503');
  });

  it('refuses oversize bodies: by Content-Length, while streaming, and after decompression', async () => {
    const declared = await fetchError(`${base}/big-declared`);
    expect(declared.code).toBe('SOURCE_TOO_LARGE');
    expect(declared.message).toMatch(/Content-Length/);
    const chunked = await fetchError(`${base}/big-chunked`);
    expect(chunked.message).toMatch(/exceeds the limit/);
    expect(chunked.code).toBe('SOURCE_TOO_LARGE');
    const bomb = await fetchError(`${base}/gzip-bomb`);
    expect(bomb.code).toBe('SOURCE_TOO_LARGE');
    expect(bomb.message).toMatch(/decompressed/);
  });

  it('decodes with a charset given only in the HTTP header', async () => {
    expect(titles(await fetchOnce(`${base}/koi8`, limits))).toEqual(['Привет, мир']);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = fetchOnce(`${base}/slow`, { ...limits, timeout: 5000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'SOURCE_FETCH', message: expect.stringMatching(/aborted/) });
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fetchOnce(`${base}/feed.xml`, limits, { signal: controller.signal })).rejects.toMatchObject({
      code: 'SOURCE_FETCH',
    });
  });

  it('reports a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await fetchError(`http://127.0.0.1:${port}/feed.xml`);
    expect(error).toMatchObject({ code: 'SOURCE_FETCH', retryable: true });
  });
});
