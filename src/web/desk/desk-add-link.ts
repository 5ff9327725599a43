import type { FastifyInstance } from 'fastify';
import { isHttpUrl } from '../../core/http-url.ts';
import type { DeskDeps } from './desk-deps.ts';
import { deskSession, sendDeskHtml } from './desk-request.ts';
import { editionPath } from './edition-list-model.ts';

/**
 * The bookmarklet's landing page: `/desk/add-link?url=…` lists the editions a link can
 * still go into (drafts and approved ones), each opening that edition's "Add a link" form
 * with the URL filled in. Nothing is fetched or changed here: the form's POST does it.
 */
export function registerDeskAddLink(desk: FastifyInstance, deps: DeskDeps): void {
  desk.get('/desk/add-link', async (request, reply) => {
    const session = deskSession(request);
    const raw = String((request.query as Record<string, unknown>).url ?? '').trim();
    const url = isHttpUrl(raw) ? raw : '';
    const editions = (await deps.ops.editionsTakingLinks())
      .filter((e) => !deps.sends.isRunning(e.id))
      .map((e) => ({
        id: e.id,
        status: e.status,
        href: `${editionPath(e.id)}?${new URLSearchParams({ addurl: url }).toString()}#add-link`,
      }));
    return sendDeskHtml(
      reply,
      deps.views.render('add-link', {
        title: 'Add a link',
        editor: session.editor,
        csrf: session.csrfToken,
        url,
        refused: raw !== '' && url === '',
        editions,
      }),
    );
  });
}

/**
 * The bookmarklet: opens this desk's add-link page with the current page's address.
 * `base` is web.baseUrl; the code is fixed text plus that address, JSON-quoted.
 */
export function bookmarkletHref(base: string): string {
  const target = JSON.stringify(`${base.replace(/\/+$/, '')}/desk/add-link?url=`);
  return `javascript:(function(){location.href=${target}+encodeURIComponent(location.href)})()`;
}
