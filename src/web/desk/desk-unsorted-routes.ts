import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTidingsError } from '../../core/errors.ts';
import type { DeskDeps } from './desk-deps.ts';
import { deskSession, field, sendDeskHtml } from './desk-request.ts';
import { deskTime } from './desk-time.ts';

/**
 * `/desk/unsorted`: the Unsorted tray. Articles no configured category claimed (the
 * classifier was not sure enough), each with the categories to file it under; one click
 * files it as the editor's label (the classifier learns it on its next run), and the
 * next edition built for that category can carry it.
 */
export function registerDeskUnsortedRoutes(desk: FastifyInstance, deps: DeskDeps): void {
  const { views, config } = deps;
  const timeZone = config.newsletters[0]?.timezone ?? 'UTC';
  const categories = Object.entries(config.categories).map(([slug, category]) => ({
    slug,
    title: category.title ?? slug,
  }));

  const sendTray = async (request: FastifyRequest, reply: FastifyReply, notice: string | null, status = 200) => {
    const session = deskSession(request);
    const articles = (await deps.ops.unsorted.list()).map((article) => ({
      id: article.id,
      title: article.title,
      url: article.url,
      source: article.sourceTitle || article.source,
      published: deskTime(article.publishedAt ?? article.firstSeenAt, timeZone),
      summary: article.summary,
    }));
    return sendDeskHtml(
      reply,
      views.render('unsorted', {
        title: 'Unsorted',
        editor: session.editor,
        csrf: session.csrfToken,
        articles,
        categories,
        notice,
      }),
      status,
    );
  };

  desk.get('/desk/unsorted', (request, reply) => sendTray(request, reply, null));

  desk.post('/desk/unsorted', async (request, reply) => {
    const session = deskSession(request);
    try {
      const filed = await deps.ops.unsorted.file(
        field(request.body, 'article'),
        field(request.body, 'category'),
        session.editor.name,
      );
      const title = categories.find((c) => c.slug === field(request.body, 'category'))?.title;
      return sendTray(request, reply, `Filed “${filed.title}” under ${title}.`);
    } catch (error) {
      if (!isTidingsError(error) || error.code !== 'INPUT_INVALID') throw error;
      return sendTray(request, reply, error.message, 400);
    }
  });
}
