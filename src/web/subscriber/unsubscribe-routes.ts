import { z } from 'zod';
import type { TokenDescription } from '../../app/subscribers/subscriber-service.ts';
import { tokenParams, tokenSchema } from '../request-schemas.ts';
import type { RouteModule, WebContext } from '../web-context.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * `/u/<token>`: the unsubscribe page and its POST. The POST is RFC 8058's one-click
 * unsubscribe as a mail client makes it (`List-Unsubscribe=One-Click`, no cookie, no
 * CSRF token: the signed token is the proof) and also the page's own button. Both
 * are idempotent; `action=resubscribe` undoes it from the same link.
 */
const unsubscribeBody = z
  .object({
    'List-Unsubscribe': z.string().max(100).optional(),
    action: z.enum(['unsubscribe', 'resubscribe']).optional(),
    /** Our page's own button says so; a POST without it is a mail client's one-click. */
    from: z.literal('page').optional(),
  })
  .optional()
  .transform((body) => ({
    action: body?.action === 'resubscribe' ? ('resubscribe' as const) : ('unsubscribe' as const),
    channel: body?.from === 'page' ? ('web' as const) : ('one-click' as const),
  }));

/** A path token that is not even shaped like ours gets the 400 page without a lookup. */
export function readToken(request: FastifyRequest): string | null {
  const params = tokenParams.safeParse(request.params);
  if (!params.success) return null;
  return tokenSchema.safeParse(params.data.token).success ? params.data.token : null;
}

function sendUnsubscribePage(
  web: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  described: TokenDescription,
  done?: 'unsubscribed' | 'resubscribed',
) {
  return web.sendPage(request, reply, {
    view: 'unsubscribe',
    locale: described.locale,
    context: {
      title: described.newsletter.title,
      newsletter: described.newsletter,
      maskedEmail: described.maskedEmail,
      active: described.state === 'active',
      done,
      actionPath: `/u/${token}`,
      preferencesPath: described.preferencesToken ? `/p/${described.preferencesToken}` : null,
    },
  });
}

export const registerUnsubscribeRoutes: RouteModule = (app, web) => {
  app.get('/u/:token', async (request, reply) => {
    const token = readToken(request);
    if (!token) return web.sendError(request, reply, 400, 'web_error_token');
    const described = await web.subscribers.describeToken(token, 'unsubscribe');
    return sendUnsubscribePage(web, request, reply, token, described);
  });

  app.post('/u/:token', async (request, reply) => {
    const token = readToken(request);
    if (!token) return web.sendError(request, reply, 400, 'web_error_token');
    const parsed = unsubscribeBody.safeParse(typeof request.body === 'object' ? request.body : undefined);
    if (!parsed.success) return web.sendError(request, reply, 400);
    const { action, channel } = parsed.data;
    const change =
      action === 'resubscribe'
        ? await web.subscribers.resubscribe(token)
        : await web.subscribers.unsubscribe(token, { channel });
    request.log.info(
      { newsletter: change.newsletter.id, action, channel, changed: change.changed },
      'subscriber link used',
    );
    return sendUnsubscribePage(
      web,
      request,
      reply,
      token,
      change,
      action === 'resubscribe' ? 'resubscribed' : 'unsubscribed',
    );
  });
};
