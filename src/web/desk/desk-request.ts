import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ActiveSession } from '../../editors/desk-auth.ts';

/** The signed-in editor of a request, set by the desk's session hook. */
const sessions = new WeakMap<FastifyRequest, ActiveSession & { sessionId: string }>();

export function setDeskSession(request: FastifyRequest, session: ActiveSession & { sessionId: string }): void {
  sessions.set(request, session);
}

export function deskSession(request: FastifyRequest): ActiveSession & { sessionId: string } {
  const session = sessions.get(request);
  if (!session) throw new Error('desk route without a session: the session hook must run first');
  return session;
}

export const SESSION_COOKIE = 'tidings_desk';
export const LOGIN_COOKIE = 'tidings_desk_login';

/**
 * Desk pages run one script of our own and SortableJS, both from /desk/assets (no inline
 * script, no CDN); frames only from the desk itself (the preview).
 */
export const DESK_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; frame-src 'self'; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The previewed email: its own inline styles and remote images, no script, no forms, in a sandbox. */
export const PREVIEW_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'";

export function sendDeskHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', DESK_CSP)
    .send(html);
}

/** Form fields as strings (formbody gives strings or arrays of strings). */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}
