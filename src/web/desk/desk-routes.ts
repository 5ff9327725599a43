import { bookmarkletHref, registerDeskAddLink } from './desk-add-link.ts';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { DeskSends } from '../../app/desk/desk-sends.ts';
import type { RouteModule, WebContext } from '../web-context.ts';
import { registerDeskAccountRoutes } from './desk-account-routes.ts';
import { registerDeskClickRoutes } from './desk-click-routes.ts';
import { registerDeskEditionRoutes } from './desk-edition-routes.ts';
import { registerDeskSourceRoutes } from './desk-source-routes.ts';
import { registerDeskUnsortedRoutes } from './desk-unsorted-routes.ts';
import { buildEditionList } from './edition-list-model.ts';
import { SESSION_COOKIE, deskSession, sendDeskHtml } from './desk-request.ts';
import { deskSessionGuard, registerDeskLoginRoutes } from './desk-login-routes.ts';
import type { DeskDeps, DeskWiring } from './desk-deps.ts';
import { loadDeskViews } from './desk-views.ts';

const PUBLIC_PATHS = new Set([
  '/desk/login',
  '/desk/assets/desk.css',
  '/desk/assets/desk.js',
  '/desk/assets/sortable.min.js',
]);

/** One cookie of a Cookie header (the rate limiter runs before the cookie plugin parses). */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** desk.css and desk.js from templates/web/desk/, each overridable by the same file under `templates.dir`. */
function loadAssets(wiring: DeskWiring): Record<string, { type: string; body: string }> {
  const overrideDir = wiring.overrideDir ? path.join(wiring.overrideDir, 'web', 'desk') : null;
  const deskFile = (name: string) => {
    const override = overrideDir ? path.join(overrideDir, name) : null;
    return override && existsSync(override) ? override : path.join(wiring.templatesDir, 'web', 'desk', name);
  };
  const sortable = createRequire(import.meta.url).resolve('sortablejs/Sortable.min.js');
  return {
    'desk.css': { type: 'text/css; charset=utf-8', body: readFileSync(deskFile('desk.css'), 'utf8') },
    'desk.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(deskFile('desk.js'), 'utf8') },
    'sortable.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(sortable, 'utf8') },
  };
}

/**
 * The editor desk under /desk: login, editions, one edition (curate, preview, approve,
 * send). Built from the app's desk operations by `tidings serve`; its sends are drained on close.
 */
export function createDeskRoutes(wiring: DeskWiring): RouteModule & { sends: DeskSends } {
  const { operations, config, templatesDir, overrideDir, locales } = wiring;
  const sends = operations.createSends();
  const module = async (app: FastifyInstance, web: WebContext) => {
    const deps: DeskDeps = {
      ops: operations,
      config,
      clock: wiring.clock,
      logger: wiring.logger,
      auth: operations.createAuth(),
      sends,
      views: loadDeskViews(templatesDir, overrideDir),
      locales,
      secureCookies: config.web.baseUrl.startsWith('https:'),
    };
    const assets = loadAssets(wiring);
    // A logged-in editor's desk requests (each curation action loads the page, three
    // preview frames and the progress stream) count against their session's own budget,
    // not the per-address limit readers share.
    const deskPerMinute = config.web.rateLimit.deskPerMinute;
    web.addRateBudget(async (request) => {
      if (!request.url.startsWith('/desk')) return null;
      const sessionId = cookieValue(request.headers.cookie, SESSION_COOKIE);
      if (!sessionId || !(await deps.auth.isLive(sessionId))) return null;
      return { key: `desk:${createHash('sha256').update(sessionId).digest('hex')}`, max: deskPerMinute };
    });
    await app.register(async (desk) => registerDesk(desk, deps, assets));
    app.addHook('onClose', async () => sends.drain());
  };
  return Object.assign(module, { sends });
}

async function registerDesk(
  desk: FastifyInstance,
  deps: DeskDeps,
  assets: Record<string, { type: string; body: string }>,
): Promise<void> {
  const { views } = deps;
  await desk.register(cookie);
  const cookieOptions = { path: '/desk', httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies };

  desk.get('/desk/assets/:name', { config: { rateLimit: false } }, async (request, reply) => {
    const asset = assets[(request.params as { name: string }).name];
    if (!asset) return reply.code(404).send('not found');
    return reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body);
  });

  desk.addHook('preHandler', deskSessionGuard(deps, PUBLIC_PATHS));
  registerDeskLoginRoutes(desk, deps, cookieOptions);

  desk.get('/desk/editions', async (request, reply) => {
    const session = deskSession(request);
    const list = await buildEditionList(deps);
    const warnings = await deps.ops.sources.warnings();
    const webhooks = await deps.ops.webhookCounts();
    const context = { title: 'Editions', editor: session.editor, csrf: session.csrfToken, ...list, webhooks };
    return sendDeskHtml(
      reply,
      views.render('editions', {
        ...context,
        sourceWarnings: warnings.map((w) => w.message),
        bookmarklet: bookmarkletHref(deps.config.web.baseUrl),
      }),
    );
  });

  registerDeskEditionRoutes(desk, deps);
  registerDeskAccountRoutes(desk, deps);
  registerDeskSourceRoutes(desk, deps);
  registerDeskUnsortedRoutes(desk, deps);
  registerDeskAddLink(desk, deps);
  registerDeskClickRoutes(desk, deps);
}
