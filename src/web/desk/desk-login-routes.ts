import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches } from '../../editors/desk-auth.ts';
import type { DeskDeps } from './desk-deps.ts';
import { LOGIN_COOKIE, SESSION_COOKIE, deskSession, field, sendDeskHtml, setDeskSession } from './desk-request.ts';

export interface DeskCookieOptions {
  path: string;
  httpOnly: boolean;
  sameSite: 'lax';
  secure: boolean;
}

/** Every desk route but the public ones needs a live session; every POST needs the session's CSRF token. */
export function deskSessionGuard(deps: DeskDeps, publicPaths: ReadonlySet<string>) {
  const { auth, views } = deps;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? request.url;
    if (!route.startsWith('/desk') || publicPaths.has(route) || route === '/desk/assets/:name') return;
    const sessionId = request.cookies[SESSION_COOKIE];
    const session = await auth.resume(sessionId);
    if (!session || !sessionId) {
      if (request.method === 'GET' && !route.endsWith('/progress')) return reply.redirect('/desk/login', 303);
      return reply.code(401).send('session expired: log in again');
    }
    if (request.method === 'POST' && !csrfMatches(session.csrfToken, field(request.body, '_csrf'))) {
      request.log.warn(
        { editor: session.editor.name, url: request.url },
        'desk: form without a valid CSRF token refused',
      );
      return sendDeskHtml(
        reply,
        views.render('message', {
          title: 'Refused',
          message: 'This form has expired or did not come from the desk. Reload the page and try again.',
        }),
        403,
      );
    }
    setDeskSession(request, { ...session, sessionId });
  };
}

/** `/desk/login` (a double-submit form token, throttled logins) and `/desk/logout`. */
export function registerDeskLoginRoutes(desk: FastifyInstance, deps: DeskDeps, cookieOptions: DeskCookieOptions): void {
  const { auth, views } = deps;
  const loginPage = (reply: FastifyReply, error: string | null, status = 200) => {
    // A login form token (double submit: cookie and field) so no other site can log an editor in.
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_COOKIE, token, { ...cookieOptions, maxAge: 3600 });
    return sendDeskHtml(reply, views.render('login', { title: 'Log in', csrf: token, error }), status);
  };

  desk.get('/desk', async (_request, reply) => reply.redirect('/desk/editions', 303));
  desk.get('/desk/login', async (_request, reply) => loginPage(reply, null));

  desk.post('/desk/login', async (request, reply) => {
    const body = request.body;
    if (!csrfMatches(request.cookies[LOGIN_COOKIE] ?? '', field(body, '_csrf')) || !request.cookies[LOGIN_COOKIE]) {
      return loginPage(reply, 'The form expired. Please try again.', 403);
    }
    const result = await auth.login(
      field(body, 'login'),
      field(body, 'password'),
      request.ip,
      request.cookies[SESSION_COOKIE],
    );
    if (!result.ok) {
      const messages = {
        // The same words for an unknown name, a wrong password and a blocked address.
        invalid:
          'Wrong name or password. After several failed logins this address must wait a while before it can log in; an admin can lift that.',
        'rate-limited': 'Too many login attempts from this address. Wait a minute.',
      };
      return loginPage(reply, messages[result.reason], result.reason === 'invalid' ? 401 : 429);
    }
    reply.clearCookie(LOGIN_COOKIE, cookieOptions);
    reply.setCookie(SESSION_COOKIE, result.sessionId, cookieOptions);
    return reply.redirect('/desk/editions', 303);
  });

  desk.post('/desk/logout', async (request, reply) => {
    const session = deskSession(request);
    await auth.logout(session.sessionId, session.editor);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/desk/login', 303);
  });
}
