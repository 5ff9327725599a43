import { STATUS_CODES } from 'node:http';
import { Agent, request, type Dispatcher } from 'undici';
import { SourceError } from '../errors.ts';
import {
  createGuardedConnector,
  lookupAll,
  UnsafeAddressError,
  type AddressPolicy,
  type LookupAll,
} from './guarded-connect.ts';
import { postOnce, type PostAnswer, type PostOptions } from './http-post.ts';
import { readBody, tooLarge } from './read-body.ts';

/**
 * The one HTTP client for every outbound request (feeds, pages, full text, robots.txt,
 * article images): hard limits, redirects followed by hand, and the address policy
 * applied where the socket is opened (guarded-connect.ts).
 *
 * Limits: at most `maxRedirects` redirects (only to http(s)), at most `maxBytes` on the
 * wire and after decompression, and one deadline (`timeout` ms) for the whole exchange
 * including redirects. With `validators` the request is conditional (If-None-Match,
 * If-Modified-Since) and a 304 comes back as `notModified` with no bytes.
 *
 * Trust: the operator's own URLs (configured sources) may reach any address; URLs found
 * in untrusted content (`untrusted: true`: links in feeds, images) only public ones,
 * unless `allowPrivateNetworks`. The two kinds never share a connection pool: a socket
 * opened for a configured feed on localhost is not reused by a link to localhost.
 */
export interface HttpLimits {
  maxBytes: number;
  timeout: number;
  maxRedirects: number;
  userAgent: string;
  /** Untrusted URLs may reach loopback, private and other special-purpose addresses (tests, intranets). */
  allowPrivateNetworks?: boolean;
}

export interface HttpValidators {
  etag: string | null;
  lastModified: string | null;
}

export interface HttpResponse {
  bytes: Uint8Array;
  /** The Content-Type header, or null. */
  contentType: string | null;
  /** The final URL after redirects. */
  location: string;
  validators: HttpValidators;
  /** The server answered 304 to a conditional request: `bytes` is empty. */
  notModified?: boolean;
}

export interface GetOptions {
  signal?: AbortSignal;
  validators?: HttpValidators | null;
  /** The Accept header; default one that prefers feeds. */
  accept?: string;
  /** A URL found in content (a link in a feed, an image): public addresses only, every redirect hop included. */
  untrusted?: boolean;
}

export interface HttpClient {
  readonly limits: HttpLimits;
  get(url: string, options?: GetOptions): Promise<HttpResponse>;
  /** One POST (webhooks): no redirects followed, the answer's status returned (http-post.ts). */
  post(url: string, options: PostOptions): Promise<PostAnswer>;
  /** Closes the kept-alive connections. */
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
export const FEED_ACCEPT =
  'application/feed+json, application/rss+xml, application/atom+xml, application/rdf+xml, application/json;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5';

/**
 * For tests: `lookup` replaces DNS (names mapped to 127.0.0.1 or to special-purpose
 * addresses), `policy` the address policy of untrusted URLs (a local server standing in
 * for a public site).
 */
export function createHttpClient(
  limits: HttpLimits,
  options: { lookup?: LookupAll; policy?: AddressPolicy } = {},
): HttpClient {
  const { lookup = lookupAll, policy } = options;
  // undici's own timers are a safety net behind the exchange's deadline, which names the limit.
  const backstop = limits.timeout + 1000;
  const agent = (publicOnly: boolean) =>
    new Agent({
      connect: createGuardedConnector({ lookup, policy, publicOnly, timeout: backstop }),
      headersTimeout: backstop,
      bodyTimeout: backstop,
    });
  const configured = agent(false);
  const untrusted = agent(!limits.allowPrivateNetworks);
  let closed: Promise<void> | null = null;
  return {
    limits,
    get: (url, getOptions = {}) =>
      getFollowingRedirects(url, limits, getOptions.untrusted ? untrusted : configured, getOptions),
    post: (url, postOptions) =>
      postOnce(url, postOptions.untrusted ? untrusted : configured, limits.userAgent, postOptions),
    close: () => (closed ??= Promise.all([configured.close(), untrusted.close()]).then(() => undefined)),
  };
}

async function getFollowingRedirects(
  url: string,
  limits: HttpLimits,
  dispatcher: Dispatcher,
  options: GetOptions,
): Promise<HttpResponse> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.timeout);
  const onOuterAbort = () => deadline.abort();
  if (options.signal?.aborted) deadline.abort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const exchange: Exchange = {
    limits,
    dispatcher,
    deadline: deadline.signal,
    outer: options.signal,
    origin: url,
    options,
  };
  try {
    let current = parseHttpUrl(url, url);
    const visited = new Set<string>([current.href]);
    for (let redirects = 0; ; redirects++) {
      const answer = await getOnce(current, exchange).catch((error: unknown) => {
        // A connection reset before any reply (a kept-alive one the server had closed
        // while idle): the GET got no answer, and a GET may go again, once.
        if (!(error instanceof StaleConnectionError)) throw error;
        return getOnce(current, exchange).catch((again: unknown) => {
          throw again instanceof StaleConnectionError ? again.asSourceError() : again;
        });
      });
      if (!('redirectTo' in answer)) return answer;
      const next = parseHttpUrl(answer.redirectTo, current.href, current.href);
      if (visited.has(next.href)) {
        throw new SourceError('SOURCE_FETCH', `redirect loop: ${current.href} redirects back to ${next.href}`, {
          where: url,
        });
      }
      if (redirects + 1 > limits.maxRedirects) {
        throw new SourceError(
          'SOURCE_FETCH',
          `too many redirects (more than ${limits.maxRedirects}); last one to ${next.href}`,
          { where: url },
        );
      }
      visited.add(next.href);
      current = next;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

interface Exchange {
  limits: HttpLimits;
  dispatcher: Dispatcher;
  deadline: AbortSignal;
  outer: AbortSignal | undefined;
  /** The URL first asked for, named in errors after a redirect. */
  origin: string;
  options: GetOptions;
}

/** The connection was reset before any reply: a GET is safe to send again. */
class StaleConnectionError extends Error {
  constructor(
    readonly where: string,
    readonly original: Error,
  ) {
    super(`stale kept-alive connection: ${original.message}`);
  }

  asSourceError(): SourceError {
    return new SourceError('SOURCE_FETCH', `request failed: ${this.original.message}`, {
      where: this.where,
      retryable: true,
      cause: this.original,
    });
  }
}

function parseHttpUrl(value: string, where: string, redirectedFrom?: string): URL {
  let parsed: URL;
  try {
    parsed = redirectedFrom ? new URL(value, redirectedFrom) : new URL(value);
  } catch {
    throw new SourceError('SOURCE_FETCH', `not a valid URL: "${value}"`, { where });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const what = redirectedFrom
      ? `redirect to a ${parsed.protocol} URL refused (only http and https are followed)`
      : `only http(s) URLs can be fetched (got ${parsed.protocol})`;
    throw new SourceError('SOURCE_FETCH', what, { where });
  }
  parsed.hash = '';
  return parsed;
}

/** Header values come from a server: one line each, never a way to add a header. */
function requestHeaders(exchange: Exchange): Record<string, string> {
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();
  const headers: Record<string, string> = {
    'user-agent': oneLine(exchange.limits.userAgent),
    accept: exchange.options.accept ?? FEED_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  const validators = exchange.options.validators;
  if (validators?.etag && oneLine(validators.etag)) headers['if-none-match'] = oneLine(validators.etag);
  if (validators?.lastModified && oneLine(validators.lastModified))
    headers['if-modified-since'] = oneLine(validators.lastModified);
  return headers;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | null => {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
};

async function getOnce(url: URL, exchange: Exchange): Promise<HttpResponse | { redirectTo: string }> {
  const where = url.href;
  const headers = requestHeaders(exchange);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      dispatcher: exchange.dispatcher,
      method: 'GET',
      headers,
      signal: exchange.deadline,
    });
  } catch (error) {
    throw requestError(error, where, exchange);
  }
  const { statusCode: status, headers: received, body } = response;
  const validators = { etag: header(received, 'etag'), lastModified: header(received, 'last-modified') };
  const discard = () => body.dump().catch(() => undefined);
  if (REDIRECT_STATUSES.has(status)) {
    await discard();
    const location = header(received, 'location');
    if (!location)
      throw new SourceError('SOURCE_FETCH', `HTTP ${status} redirect without a Location header`, { where });
    return { redirectTo: location };
  }
  if (status === 304) {
    await discard();
    // A 304 only answers a conditional request; unasked, it is a broken server.
    if (!headers['if-none-match'] && !headers['if-modified-since']) {
      throw new SourceError('SOURCE_FETCH', `HTTP 304 Not Modified for ${where}, but the request was not conditional`, {
        where,
      });
    }
    return { bytes: new Uint8Array(), contentType: null, location: where, validators, notModified: true };
  }
  if (status >= 400 || status < 200) {
    await discard();
    const retryable = status >= 500 || status === 408 || status === 429;
    const via = exchange.origin !== where ? ` (redirected from ${exchange.origin})` : '';
    const reason = STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : '';
    throw new SourceError('SOURCE_FETCH', `HTTP ${status}${reason} for ${where}${via}`, { where, retryable });
  }
  const declared = Number(header(received, 'content-length'));
  if (Number.isFinite(declared) && declared > exchange.limits.maxBytes) {
    body.destroy();
    throw tooLarge(where, exchange.limits.maxBytes, `Content-Length is ${declared} bytes`);
  }
  try {
    const bytes = await readBody(body, header(received, 'content-encoding') ?? '', exchange.limits.maxBytes, where);
    return { bytes, contentType: header(received, 'content-type'), location: where, validators };
  } catch (error) {
    if (exchange.deadline.aborted) throw abortError(where, exchange);
    throw error;
  }
}

function requestError(error: unknown, where: string, exchange: Exchange): Error {
  if (exchange.deadline.aborted) return abortError(where, exchange);
  if (error instanceof UnsafeAddressError) {
    return new SourceError(
      'SOURCE_UNSAFE',
      `refused to fetch ${where}: ${error.message} (set fetch.allowPrivateNetworks: true to allow it)`,
      { where },
    );
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  // Reset before any reply: typically a kept-alive socket the server closed while idle.
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return new StaleConnectionError(where, error as Error);
  return new SourceError('SOURCE_FETCH', `request failed: ${message}`, {
    where,
    retryable: RETRYABLE_ERRORS.has(code),
    cause: error,
  });
}

function abortError(where: string, exchange: Exchange): SourceError {
  return exchange.outer?.aborted
    ? new SourceError('SOURCE_FETCH', 'fetch aborted', { where, cause: exchange.outer.reason })
    : new SourceError('SOURCE_TIMEOUT', `no complete response within ${exchange.limits.timeout} ms`, {
        where,
        retryable: true,
      });
}
