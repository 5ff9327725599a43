import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ArchiveEntry } from '../../app/subscribers/subscriber-types.ts';
import type { RouteModule } from '../web-context.ts';
import { editionParams, newsletterParams } from '../request-schemas.ts';
import { buildAtomFeed } from './atom-feed.ts';

/**
 * Pages anyone may see: an edition on the web (`/e/<newsletter>/<slot>`), the public
 * archive and its Atom feed, and the stylesheet. None of them carries personal data.
 */

/**
 * The edition page is the email's own HTML, whose styles are inline (mail clients need
 * them): this page alone allows inline *styles*; scripts stay forbidden everywhere.
 */
export const EDITION_CSP =
  "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** An archive row: the top story's headline (the subject when none), then the sections' leads. */
const ARCHIVE_ROW_LEADS = 2;
function archiveRow(entry: ArchiveEntry) {
  const [headline, ...leads] = entry.highlights;
  return {
    path: entry.path,
    slot: entry.slot,
    headline: headline || entry.subject || entry.id,
    alsoIn: leads.slice(0, ARCHIVE_ROW_LEADS),
  };
}

export const registerPublicRoutes: RouteModule = (app, web) => {
  const zoneOf = (newsletterId: string) => web.config.newsletters.find((n) => n.id === newsletterId)?.timezone ?? 'UTC';
  const localeOfNewsletter = (newsletterId: string) =>
    web.config.newsletters.find((n) => n.id === newsletterId)?.locale ?? null;

  // Static files are never rate limited: a 429 page without its stylesheet helps nobody.
  app.get('/assets/style.css', { config: { rateLimit: false } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('etag', `"${web.views.css.hash}"`)
      .send(web.views.css.body),
  );

  const sendEdition = async (request: FastifyRequest, reply: FastifyReply, params: unknown) => {
    const parsed = editionParams.safeParse(params);
    if (!parsed.success) return web.sendError(request, reply, 404);
    const viewKey = (request.query as Record<string, unknown> | undefined)?.k;
    const edition = await web.subscribers.editionForWeb(
      `${parsed.data.newsletter}/${parsed.data.slot}`,
      typeof viewKey === 'string' ? viewKey : null,
    );
    return (
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', EDITION_CSP)
        // A keyed page (a newsletter that is not public) stays out of shared caches.
        .header('cache-control', edition.archivePublic ? 'public, max-age=300' : 'private, max-age=300')
        .send(edition.html)
    );
  };
  // Browsers ask for it on every first visit; no icon, and no 404 page to render.
  app.get('/favicon.ico', { config: { rateLimit: false } }, async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );

  app.get('/e/:newsletter/:slot', (request, reply) => sendEdition(request, reply, request.params));
  // `/e/daily%2F2026-11-28T07%3A28`: the whole id percent-encoded as one segment.
  app.get<{ Params: { id: string } }>('/e/:id', (request, reply) => {
    const [newsletter, slot, ...rest] = request.params.id.split('/');
    return sendEdition(request, reply, rest.length === 0 ? { newsletter, slot } : null);
  });

  app.get('/archive/:newsletter', async (request, reply) => {
    const params = newsletterParams.safeParse(request.params);
    if (!params.success) return web.sendError(request, reply, 404);
    const archive = await web.subscribers.publicArchive(params.data.newsletter);
    const feedPath = `/archive/${encodeURIComponent(archive.newsletter.id)}/feed.atom`;
    return web.sendPage(request, reply, {
      view: 'archive',
      locale: localeOfNewsletter(archive.newsletter.id),
      timeZone: zoneOf(archive.newsletter.id),
      context: {
        title: archive.newsletter.title,
        archive: { ...archive, editions: archive.editions.map(archiveRow) },
        feedPath,
        signupPath: web.config.newsletters.find((n) => n.id === archive.newsletter.id)?.signup
          ? `/s/${archive.newsletter.id}`
          : null,
      },
    });
  });

  app.get('/archive/:newsletter/feed.atom', async (request, reply) => {
    const params = newsletterParams.safeParse(request.params);
    if (!params.success) return web.sendError(request, reply, 404);
    const archive = await web.subscribers.publicArchive(params.data.newsletter);
    const xml = buildAtomFeed(archive, {
      baseUrl: web.baseUrl,
      lang: localeOfNewsletter(archive.newsletter.id) ?? 'en',
      fallbackUpdated: web.clock.now().toISOString(),
    });
    return reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(xml);
  });
};
