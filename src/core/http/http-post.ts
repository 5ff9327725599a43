import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { SourceError } from '../errors.ts';
import { UnsafeAddressError } from './guarded-connect.ts';

export interface PostOptions {
  body: string;
  /** Extra headers (content-type, signatures); a value's newlines are flattened. */
  headers: Record<string, string>;
  /** The whole exchange (connect, request, answer) must end within this many ms. */
  timeout: number;
  signal?: AbortSignal;
  /** Public addresses only (unless fetch.allowPrivateNetworks), as for a link found in content. */
  untrusted?: boolean;
}

export interface PostAnswer {
  status: number;
}

/** At most this much of an answer is read (and thrown away): a receiver's body says nothing we use. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST through a guarded dispatcher (the address policy applies where the socket is
 * opened). Redirects are not followed: a 3xx is the receiver's answer. A non-2xx answer is
 * returned, not thrown; no answer at all (refused, reset, timeout, unsafe address) throws
 * a SourceError saying why.
 */
export async function postOnce(
  url: string,
  dispatcher: Dispatcher,
  userAgent: string,
  options: PostOptions,
): Promise<PostAnswer> {
  const deadline = AbortSignal.timeout(options.timeout);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();
  const headers: Record<string, string> = { 'user-agent': oneLine(userAgent) };
  for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = oneLine(value);
  try {
    const answer = await request(url, { dispatcher, method: 'POST', headers, body: options.body, signal });
    let read = 0;
    for await (const chunk of answer.body) {
      read += (chunk as Buffer).length;
      if (read > MAX_ANSWER_BYTES) {
        answer.body.destroy();
        break;
      }
    }
    return { status: answer.statusCode };
  } catch (error) {
    throw postError(error, url, deadline.aborted, options.timeout);
  }
}

function postError(error: unknown, where: string, timedOut: boolean, timeout: number): SourceError {
  if (timedOut)
    return new SourceError('SOURCE_TIMEOUT', `no complete answer within ${timeout} ms`, { where, retryable: true });
  if (error instanceof UnsafeAddressError)
    return new SourceError('SOURCE_UNSAFE', `refused to post to ${where}: ${error.message}`, { where });
  const message = error instanceof Error ? error.message : String(error);
  return new SourceError('SOURCE_FETCH', `request failed: ${message}`, { where, retryable: true, cause: error });
}

/** `HTTP 503 Service Unavailable`. */
export function describeStatus(status: number): string {
  return `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
}
