import type { FastifyInstance } from 'fastify';
import type { DeskDeps } from './desk-deps.ts';
import { deskSession, sendDeskHtml } from './desk-request.ts';

const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

/**
 * `/desk/clicks`: for each newsletter with `analytics: aggregate`, each recent edition's
 * most-read stories and each source's click-through over 30 days. Counts below
 * `analytics.minCount` are not shown, only how many were left out.
 */
export function registerDeskClickRoutes(desk: FastifyInstance, deps: DeskDeps): void {
  const clicks = deps.ops.clicks;
  desk.get('/desk/clicks', async (request, reply) => {
    const session = deskSession(request);
    const newsletters = (await clicks.overview()).map((newsletter) => ({
      ...newsletter,
      sources: {
        ...newsletter.sources,
        sources: newsletter.sources.sources.map((source) => ({ ...source, share: percent(source.clickThrough) })),
      },
    }));
    return sendDeskHtml(
      reply,
      deps.views.render('clicks', {
        title: 'Clicks',
        editor: session.editor,
        csrf: session.csrfToken,
        minCount: clicks.minCount,
        newsletters,
      }),
    );
  });
}
