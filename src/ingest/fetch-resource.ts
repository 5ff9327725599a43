import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { Transform, type Readable } from 'node:stream';
import type { FetchLimits } from '../config/schema.ts';
import { SourceError } from '../core/errors.ts';
import type { FetchedResource, HttpValidators } from './types.ts';
import { checkLiteralHost, createGuardedLookup, refusalError, type LookupAll } from './fulltext/address-policy.ts';

/**
 * Fetches one http(s) URL with hard limits: at most `maxRedirects` redirects (only to
 * http(s)), at most `maxBytes` on the wire and after decompression, and one deadline
 * (`timeout` ms) for the whole exchange including redirects, so a slow server cannot
 * hold an ingest run longer than configured.
 *
 * With `validators` (from the previous complete response) the request is conditional
 * (If-None-Match, If-Modified-Since) and a 304 answer comes back as `notModified`
 * with no bytes: an unchanged feed costs one small exchange and no parsing.
 */
export interface FetchOptions {
  signal?: AbortSignal;
  validators?: HttpValidators | null;
  /**
   * For URLs found in feeds (untrusted): connect only to public addresses, every hop of
   * a redirect included (see fulltext/address-policy.ts). `resolve` replaces DNS in tests.
   */
  publicOnly?: { resolve?: LookupAll };
  /** The Accept header; default one that prefers feeds. */
  accept?: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT =
  'application/feed+json, application/rss+xml, application/atom+xml, application/rdf+xml, application/json;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5';

export async function fetchResource(url: string, limits: FetchLimits, options: FetchOptions = {}): Promise<FetchedResource> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.timeout);
  const onOuterAbort = () => deadline.abort();
  if (options.signal?.aborted) deadline.abort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    let current = parseHttpUrl(url, url);
    const guard = options.publicOnly ? createGuardedLookup(options.publicOnly.resolve) : undefined;
    if (guard) checkLiteralHost(current);
    const visited = new Set<string>([current.href]);
    for (let redirects = 0; ; redirects++) {
      const connection = { lookup: guard, accept: options.accept ?? ACCEPT };
      const send = (fresh: boolean) => request(current, limits, deadline.signal, url, options.signal, conditionalHeaders(options.validators), { ...connection, fresh });
      // A kept-alive connection the server closed while idle fails at once with ECONNRESET
      // before any reply: the GET never reached it, so it goes again once, on a new connection.
      const response = await send(false).catch((error: unknown) => {
        if (error instanceof StaleConnectionError) return send(true);
        throw error;
      });
      if (response.redirectTo === null) {
        return {
          bytes: response.bytes,
          contentType: response.contentType,
          location: current.href,
          isUrl: true,
          validators: response.validators,
          ...(response.notModified ? { notModified: true } : {}),
        };
      }
      const next = parseHttpUrl(response.redirectTo, current.href, current.href);
      if (visited.has(next.href)) {
        throw new SourceError('SOURCE_FETCH', `redirect loop: ${current.href} redirects back to ${next.href}`, { where: url });
      }
      if (redirects + 1 > limits.maxRedirects) {
        throw new SourceError('SOURCE_FETCH', `too many redirects (more than ${limits.maxRedirects}); last one to ${next.href}`, {
          where: url,
        });
      }
      if (guard) checkLiteralHost(next);
      visited.add(next.href);
      current = next;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Header values come from a server: one line each, never a way to add a header. */
function conditionalHeaders(validators: HttpValidators | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();
  if (validators?.etag && oneLine(validators.etag)) headers['if-none-match'] = oneLine(validators.etag);
  if (validators?.lastModified && oneLine(validators.lastModified)) headers['if-modified-since'] = oneLine(validators.lastModified);
  return headers;
}

function parseHttpUrl(value: string, where: string, redirectedFrom?: string): URL {
  let parsed: URL;
  try {
    parsed = redirectedFrom ? new URL(value, redirectedFrom) : new URL(value);
  } catch {
    throw new SourceError('SOURCE_FETCH', `not a valid URL: "${value}"`, { where });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const what = redirectedFrom ? `redirect to a ${parsed.protocol} URL refused (only http and https are followed)` : `only http(s) URLs can be fetched (got ${parsed.protocol})`;
    throw new SourceError('SOURCE_FETCH', what, { where });
  }
  parsed.hash = '';
  return parsed;
}

interface RawResponse {
  bytes: Uint8Array;
  contentType: string | null;
  redirectTo: string | null;
  validators: HttpValidators;
  notModified: boolean;
}

const NO_VALIDATORS: HttpValidators = { etag: null, lastModified: null };

function responseValidators(headers: http.IncomingHttpHeaders): HttpValidators {
  return { etag: headers.etag ?? null, lastModified: headers['last-modified'] ?? null };
}

/** The request went out on a kept-alive socket the server had already closed: safe to send again. */
class StaleConnectionError extends Error {
  constructor(cause: Error) {
    super(`stale kept-alive connection: ${cause.message}`, { cause });
  }
}

function request(
  url: URL,
  limits: FetchLimits,
  deadline: AbortSignal,
  origin: string,
  outer: AbortSignal | undefined,
  conditional: Record<string, string>,
  connection: { lookup?: ReturnType<typeof createGuardedLookup>; accept: string; fresh: boolean },
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const where = url.href;
    let settled = false;
    let sawResponse = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(error);
    };
    const abortError = () =>
      outer?.aborted
        ? new SourceError('SOURCE_FETCH', 'fetch aborted', { where, cause: outer.reason })
        : new SourceError('SOURCE_TIMEOUT', `no complete response within ${limits.timeout} ms`, { where, retryable: true });
    const failForAbort = () => fail(abortError());
    if (deadline.aborted) {
      settled = true;
      reject(abortError());
      return;
    }

    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, {
      ...(connection.lookup ? { lookup: connection.lookup } : {}),
      ...(connection.fresh ? { agent: false } : {}),
      headers: {
        'user-agent': limits.userAgent.replace(/[\r\n]+/g, ' '),
        accept: connection.accept,
        'accept-encoding': 'gzip, deflate, br',
        ...conditional,
      },
    });
    deadline.addEventListener('abort', failForAbort, { once: true });
    const cleanUp = () => deadline.removeEventListener('abort', failForAbort);

    req.on('error', (error: NodeJS.ErrnoException) => {
      cleanUp();
      if (settled) return;
      const refused = (error as NodeJS.ErrnoException & { address?: string }).address;
      if (error.code === 'EADDR_REFUSED' && refused) return fail(refusalError(where, refused));
      if (req.reusedSocket && error.code === 'ECONNRESET' && !sawResponse) return fail(new StaleConnectionError(error));
      const retryable = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'ENOTFOUND'].includes(error.code ?? '');
      fail(new SourceError('SOURCE_FETCH', `request failed: ${error.message}`, { where, retryable, cause: error }));
    });

    req.on('response', (res) => {
      sawResponse = true;
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status)) {
        res.resume();
        const location = res.headers.location;
        cleanUp();
        if (!location) {
          fail(new SourceError('SOURCE_FETCH', `HTTP ${status} redirect without a Location header`, { where }));
          return;
        }
        settled = true;
        resolve({ bytes: new Uint8Array(), contentType: null, redirectTo: location, validators: NO_VALIDATORS, notModified: false });
        return;
      }
      if (status === 304) {
        res.resume();
        cleanUp();
        // A 304 only answers a conditional request; unasked, it is a broken server.
        if (Object.keys(conditional).length === 0) {
          fail(new SourceError('SOURCE_FETCH', `HTTP 304 Not Modified for ${where}, but the request was not conditional`, { where }));
          return;
        }
        settled = true;
        resolve({ bytes: new Uint8Array(), contentType: null, redirectTo: null, validators: responseValidators(res.headers), notModified: true });
        return;
      }
      if (status >= 400 || status < 200) {
        res.resume();
        cleanUp();
        const retryable = status >= 500 || status === 408 || status === 429;
        const reason = res.statusMessage ? ` ${res.statusMessage}` : '';
        const via = origin !== where ? ` (redirected from ${origin})` : '';
        fail(new SourceError('SOURCE_FETCH', `HTTP ${status}${reason} for ${where}${via}`, { where, retryable }));
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        res.resume();
        cleanUp();
        fail(tooLarge(where, limits.maxBytes, `Content-Length is ${declared} bytes`));
        return;
      }
      // Callbacks, not a promise: a size error must settle before the socket's own
      // 'error' (emitted on nextTick, ahead of promise jobs) reports a mere reset.
      readBody(res, limits.maxBytes, where, (error, bytes) => {
        cleanUp();
        if (settled) return;
        if (error) {
          if (deadline.aborted) failForAbort();
          else fail(error);
          return;
        }
        settled = true;
        resolve({
          bytes: bytes!,
          contentType: res.headers['content-type'] ?? null,
          redirectTo: null,
          validators: responseValidators(res.headers),
          notModified: false,
        });
      });
    });
  });
}

/** Reads the body, decompressing it, and stops as soon as either size passes the limit. */
function readBody(
  res: http.IncomingMessage,
  maxBytes: number,
  where: string,
  done: (error: SourceError | null, bytes?: Uint8Array) => void,
): void {
  let finished = false;
  const resolve = (bytes: Uint8Array) => {
    if (finished) return;
    finished = true;
    done(null, bytes);
  };
  const reject = (error: SourceError) => {
    if (finished) return;
    finished = true;
    done(error);
  };
  let wireBytes = 0;
  res.on('data', (chunk: Buffer) => {
    wireBytes += chunk.length;
    if (wireBytes > maxBytes) {
      reject(tooLarge(where, maxBytes, 'the body'));
      res.destroy();
    }
  });
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  let decoded: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoded = res.pipe(zlib.createGunzip());
  else if (encoding === 'br') decoded = res.pipe(zlib.createBrotliDecompress());
  else if (encoding === 'deflate') decoded = res.pipe(createDeflateDecoder());
  const chunks: Buffer[] = [];
  let size = 0;
  decoded.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      reject(tooLarge(where, maxBytes, encoding ? 'the decompressed body' : 'the body'));
      res.destroy();
      decoded.destroy();
      return;
    }
    chunks.push(chunk);
  });
  decoded.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, size))));
  decoded.on('error', (error) =>
    reject(new SourceError('SOURCE_FETCH', `could not read the ${encoding || 'response'} body: ${error.message}`, { where, cause: error })),
  );
  res.on('aborted', () => reject(new SourceError('SOURCE_FETCH', 'connection closed before the body was complete', { where, retryable: true })));
  res.on('error', (error) => reject(new SourceError('SOURCE_FETCH', `reading the body failed: ${error.message}`, { where, retryable: true, cause: error })));
}

/** "deflate" is zlib-wrapped by the spec but raw deflate in some servers: look at the first byte. */
function createDeflateDecoder(): Transform {
  let inner: zlib.Inflate | zlib.InflateRaw | null = null;
  const transform: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!inner) {
        inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
        inner.on('data', (data: Buffer) => transform.push(data));
        inner.on('error', (error: Error) => transform.destroy(error));
      }
      inner.write(chunk, () => done());
    },
    flush(done) {
      if (!inner) return done();
      inner.once('end', () => done());
      inner.end();
    },
  });
  return transform;
}

function tooLarge(where: string, maxBytes: number, what: string): SourceError {
  return new SourceError('SOURCE_TOO_LARGE', `${what} exceeds the limit of ${maxBytes} bytes (fetch.maxBytes)`, { where });
}
