import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApprovalCheck, ApprovalOperations } from '../../app/approvals/approval-operations.ts';
import { deskEditionUrl } from '../../app/notify-editors.ts';
import type { RouteModule, WebContext } from '../web-context.ts';

/**
 * `/a/<token>`: the approve and skip buttons of the editors' approval email, usable
 * without a desk session. GET shows a confirmation page and changes nothing (mail
 * scanners open links); the page's form POSTs the token to `/a`, where the action
 * happens once. No cookie is involved, so a cross-site form cannot act without the
 * token itself: that is the CSRF protection.
 */
const REFUSALS: Record<string, { status: number; heading: string; message: (detail?: string) => string }> = {
  invalid: { status: 400, heading: 'Link not valid', message: () => 'This approval link is not valid.' },
  expired: {
    status: 410,
    heading: 'Link expired',
    message: () => 'The approval deadline has passed: this link no longer works.',
  },
  used: {
    status: 409,
    heading: 'Link already used',
    message: (detail) => `This link has been used already${detail ? ` (${detail})` : ''}: each link works once.`,
  },
  decided: {
    status: 409,
    heading: 'Already decided',
    message: (detail) => `This edition is decided already${detail ? ` (${detail})` : ''}: nothing was changed.`,
  },
};

const LABELS = {
  approve: { heading: 'Approve this edition?', button: 'Yes, approve it', done: 'Approved' },
  skip: { heading: 'Skip this slot?', button: 'Yes, skip this slot', done: 'Skipped' },
};

function page(web: WebContext, request: FastifyRequest, reply: FastifyReply, result: ApprovalCheck, token?: string) {
  const deskUrl = result.edition ? deskEditionUrl(web.baseUrl, result.edition.id) : `${web.baseUrl}/desk`;
  const common = { title: 'Approval', editionId: result.edition?.id ?? '', deskUrl };
  if (!result.ok) {
    const refusal = REFUSALS[result.reason]!;
    return web.sendPage(request, reply, {
      status: refusal.status,
      view: 'approval',
      context: { ...common, heading: refusal.heading, message: refusal.message(result.detail) },
      locale: 'en',
    });
  }
  const labels = LABELS[result.claims.action];
  if (!token) {
    const message = `${labels.done} by ${result.claims.editor}; recorded in the audit log. The edition is now ${result.edition.status}.`;
    return web.sendPage(request, reply, {
      view: 'approval',
      context: { ...common, heading: labels.done, message },
      locale: 'en',
    });
  }
  const articles = result.edition.articles.filter((a) => !a.excluded).map((a) => a.title);
  return web.sendPage(request, reply, {
    view: 'approval',
    context: {
      ...common,
      confirm: true,
      token,
      heading: labels.heading,
      buttonLabel: labels.button,
      danger: result.claims.action === 'skip',
      deadline: result.claims.expiresAt.toISOString(),
      confirmText: `${result.edition.id} goes out at ${result.edition.slot} with ${articles.length} article(s). You act as ${result.claims.editor}.`,
      articles,
    },
    locale: 'en',
  });
}

export function createApprovalRoutes(approvals: ApprovalOperations): RouteModule {
  return (app, web) => {
    app.get<{ Params: { token: string } }>('/a/:token', async (request, reply) => {
      const token = request.params.token;
      return page(web, request, reply, await approvals.check(token), token);
    });
    app.post('/a', async (request, reply) => {
      const token = (request.body as Record<string, unknown> | null)?.token;
      if (typeof token !== 'string' || !token) return page(web, request, reply, { ok: false, reason: 'invalid' });
      const result = await approvals.act(token);
      if (result.ok)
        request.log.info({ edition: result.edition.id, action: result.claims.action }, 'approval email link used');
      return page(web, request, reply, result);
    });
  };
}
