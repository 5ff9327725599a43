import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { isTidingsError } from '../../core/errors.ts';

/**
 * RFC 9457 problem details: every error of the API is `application/problem+json` with a
 * `type` (a URN naming the kind, listed in docs/api.md), `title`, `status` and `detail`;
 * `field` names the request field at fault when one is.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  field?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
};

/** An error the API layer itself raises (auth, scope, idempotency): status, a slug for the type, a detail. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Status and type of an app-layer error code (src/core/errors.ts). */
const CODE_STATUS: Record<string, number> = {
  NOT_FOUND: 404,
  EDITION_NOT_FOUND: 404,
  INPUT_INVALID: 422,
  USAGE: 422,
  TOKEN_INVALID: 422,
  EDITION_STATE: 409,
  SEND_LEASE_HELD: 409,
};

const slugOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function problemType(slug: string): string {
  return `urn:tidings:problem:${slug}`;
}

/** The problem for anything thrown below a route; null when it is ours to log (a 500). */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiProblem) return problem(error.status, error.slug, error.message);
  if (isTidingsError(error)) {
    const status = CODE_STATUS[error.code];
    if (status) {
      const detail = error.where ? error.message.slice(error.where.length + 2) : error.message;
      return { ...problem(status, slugOf(error.code), detail), ...(error.where ? { field: error.where } : {}) };
    }
  }
  if (error instanceof ZodError) return problem(400, 'validation', error.issues[0]?.message ?? 'invalid input');
  const fastify = error as { statusCode?: number; validation?: unknown; message?: string; code?: string };
  if (fastify.validation) return problem(400, 'validation', fastify.message ?? 'invalid request');
  const status = fastify.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return problem(status, slugOf(TITLES[status] ?? 'client-error'), fastify.message ?? '');
  return problem(500, 'internal', 'the server failed to answer; the log has the details');
}

export function problem(status: number, slug: string, detail: string): Problem {
  return { type: problemType(slug), title: TITLES[status] ?? 'Error', status, detail };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem): FastifyReply {
  if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="tidings"');
  return reply
    .code(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify({ ...body, instance: request.url.split('?')[0] }));
}
