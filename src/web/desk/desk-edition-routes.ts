import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Editor } from '../../editors/editor-store.ts';
import { forceDarkMode } from '../../app/desk/desk-preview.ts';
import { describeError, isTidingsError } from '../../core/errors.ts';
import type { Edition } from '../../editions/edition.ts';
import type { DeskDeps } from './desk-deps.ts';
import { PREVIEW_CSP, deskSession, field, sendDeskHtml } from './desk-request.ts';
import { applyDeskAction } from './desk-actions.ts';
import { sendEditionPage } from './desk-edition-page.ts';
import { streamEditionProgress } from './desk-progress-stream.ts';
import { resolveOnDesk } from './desk-resolve.ts';
import { editionPath } from './edition-list-model.ts';
import { streamTitle } from './stream-title.ts';

type EditionParams = { newsletter: string; slot: string };
type EditionHandler = (edition: Edition, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** One edition: the page, its form actions, the send confirmation, the preview frame and the live send progress. */
export function registerDeskEditionRoutes(desk: FastifyInstance, deps: DeskDeps): void {
  const withEdition = (handler: EditionHandler) => async (request: FastifyRequest, reply: FastifyReply) => {
    const edition = await loadEdition(deps, request, reply);
    return edition ? handler(edition, request, reply) : reply;
  };
  const streams = new Set<FastifyReply>();
  desk.addHook('preClose', async () => {
    for (const stream of streams) stream.raw.end();
  });
  desk.get(
    '/desk/e/:newsletter/:slot',
    withEdition((edition, request, reply) => sendEditionPage(deps, edition, request, reply)),
  );
  desk.post(
    '/desk/e/:newsletter/:slot',
    withEdition((edition, request, reply) => postEditionForm(deps, edition, request, reply)),
  );
  desk.get(
    '/desk/e/:newsletter/:slot/send',
    withEdition((edition, request, reply) => sendConfirmPage(deps, edition, request, reply)),
  );
  desk.get(
    '/desk/e/:newsletter/:slot/preview',
    withEdition((edition, request, reply) => sendPreviewFrame(deps, edition, request, reply)),
  );
  desk.get(
    '/desk/e/:newsletter/:slot/progress',
    withEdition((edition, request, reply) => streamEditionProgress(deps, edition.id, request, reply, streams)),
  );
}

/** The edition of the path, if it exists and its newsletter is configured; else a 404 page is sent and null returned. */
async function loadEdition(deps: DeskDeps, request: FastifyRequest, reply: FastifyReply): Promise<Edition | null> {
  const { newsletter, slot } = request.params as EditionParams;
  const id = `${newsletter}/${slot}`;
  const edition = await deps.ops.reads.edition(id);
  if (edition && deps.config.newsletters.some((n) => n.id === edition.newsletterId)) return edition;
  sendDeskHtml(reply, deps.views.render('message', { title: 'Not found', message: `No edition ${id}.` }), 404);
  return null;
}

/** A form of the edition page: resolving ambiguous deliveries, or a curation or send action (`op`). */
async function postEditionForm(deps: DeskDeps, edition: Edition, request: FastifyRequest, reply: FastifyReply) {
  const session = deskSession(request);
  const back = editionPath(edition.id);
  const op = field(request.body, 'op');
  if (op === 'resolve' || op === 'resolve-confirmed') return postResolve(deps, edition, session, request, reply);
  try {
    const outcome = await applyDeskAction(deps, edition, session.editor, request.body);
    if (outcome.forbidden) {
      return sendDeskHtml(reply, deps.views.render('message', { title: 'Not allowed', message: outcome.note }), 403);
    }
    if (outcome.redirect) return reply.redirect(outcome.redirect, 303);
    return reply.redirect(
      `${back}?note=${encodeURIComponent(outcome.note)}${outcome.anchor ? `#${outcome.anchor}` : ''}`,
      303,
    );
  } catch (error) {
    if (!isTidingsError(error)) throw error;
    return reply.redirect(`${back}?error=${encodeURIComponent(error.message)}`, 303);
  }
}

/** The two posts of resolving ambiguous deliveries: the confirmation page, then the decision recorded. */
async function postResolve(
  deps: DeskDeps,
  edition: Edition,
  session: { editor: Editor; csrfToken: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const back = editionPath(edition.id);
  const step = await resolveOnDesk(deps.ops, edition, session.editor, request.body);
  if (step.kind === 'forbidden')
    return sendDeskHtml(reply, deps.views.render('message', { title: 'Not allowed', message: step.message }), 403);
  if (step.kind === 'confirm') {
    const context = {
      title: 'Resolve ambiguous deliveries',
      editor: session.editor,
      csrf: session.csrfToken,
      path: back,
      edition: edition.id,
      ...step.context,
    };
    return sendDeskHtml(reply, deps.views.render('resolve-confirm', context));
  }
  const query = step.note ? `note=${encodeURIComponent(step.note)}` : `error=${encodeURIComponent(step.error ?? '')}`;
  return reply.redirect(`${back}?${query}#ambiguous`, 303);
}

/** The step between "Send now" and the send: who it goes to, and one more button (POST, CSRF); admins only. */
async function sendConfirmPage(deps: DeskDeps, edition: Edition, request: FastifyRequest, reply: FastifyReply) {
  const session = deskSession(request);
  if (session.editor.role !== 'admin') {
    return sendDeskHtml(
      reply,
      deps.views.render('message', {
        title: 'Not allowed',
        message: 'Only an admin can send an edition from the desk.',
      }),
      403,
    );
  }
  const newsletter = deps.config.newsletters.find((n) => n.id === edition.newsletterId)!;
  const { audience, alreadyHandled } = await deps.ops.reads.sendAudience(edition);
  return sendDeskHtml(
    reply,
    deps.views.render('send-confirm', {
      title: `Send ${edition.id}`,
      editor: session.editor,
      csrf: session.csrfToken,
      path: editionPath(edition.id),
      edition: { id: edition.id, status: edition.status, newsletterTitle: streamTitle(newsletter) },
      audience,
      alreadyHandled,
      readOnly: edition.status === 'sending' || edition.status === 'sent' || deps.sends.isRunning(edition.id),
      needsApproval: newsletter.requireApproval && edition.status !== 'approved',
    }),
  );
}

/** The preview iframe: the email's HTML under a CSP that runs no script; a failure is shown as text. */
async function sendPreviewFrame(deps: DeskDeps, edition: Edition, request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as Record<string, string | undefined>;
  let html: string;
  try {
    const result = await deps.ops.preview(edition, { subscriber: query.subscriber, locale: query.locale });
    html = result.ok
      ? query.dark === '1'
        ? forceDarkMode(result.html)
        : result.html
      : `<p>${result.reason.replace(/[<>&]/g, '')}</p>`;
  } catch (error) {
    html = `<p>${describeError(error).replace(/[<>&]/g, '')}</p>`;
  }
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', PREVIEW_CSP)
    .header('x-frame-options', 'SAMEORIGIN')
    .send(html);
}
