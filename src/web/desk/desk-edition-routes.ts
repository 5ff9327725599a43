import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createCurator } from '../../app/create-curator.ts';
import { editionLeftOut } from '../../app/readers-left-out.ts';
import { GMAIL_CLIP_BYTES, forceDarkMode, previewEdition } from '../../app/desk/desk-preview.ts';
import { readEditionProgress } from '../../app/edition-progress.ts';
import { describeError, isTidingsError } from '../../core/errors.ts';
import type { Edition } from '../../editions/edition.ts';
import type { DeskDeps } from './desk-deps.ts';
import { PREVIEW_CSP, deskSession, field, sendDeskHtml } from './desk-request.ts';
import { applyDeskAction } from './desk-actions.ts';
import { ambiguousRowsView, resolveOnDesk } from './desk-resolve.ts';
import { buildEditionView } from './edition-view-model.ts';
import { editionPath } from './edition-list-model.ts';
import { feedbackView } from './feedback-view.ts';

type EditionParams = { newsletter: string; slot: string };

/** One edition: the page, its form actions, the preview frame and the live send progress. */
export function registerDeskEditionRoutes(desk: FastifyInstance, deps: DeskDeps): void {
  const { ctx, views } = deps;
  const idOf = (request: FastifyRequest) => {
    const { newsletter, slot } = request.params as EditionParams;
    return `${newsletter}/${slot}`;
  };
  const load = async (request: FastifyRequest, reply: FastifyReply): Promise<Edition | null> => {
    const edition = await ctx.store.editions.getEdition(idOf(request));
    if (!edition || !ctx.config.newsletters.some((n) => n.id === edition.newsletterId)) {
      sendDeskHtml(
        reply,
        views.render('message', { title: 'Not found', message: `No edition ${idOf(request)}.` }),
        404,
      );
      return null;
    }
    return edition;
  };
  // Bounces and complaints are a figure on the page, not a reason to fail it.
  const editionFeedback = async (edition: Edition) => {
    try {
      const accepted = (await ctx.store.ledger.counts(edition.id)).accepted;
      return feedbackView(
        (await ctx.store.deliveryEvents.countsByEdition(edition.newsletterId)).get(edition.id),
        accepted,
      );
    } catch (error) {
      ctx.logger.warn({ err: error, edition: edition.id }, 'desk: bounce and complaint counts unavailable');
      return null;
    }
  };

  // Readers who get nothing from the edition: a short line on the page, never a reason to fail it.
  const leftOut = async (edition: Edition) => {
    try {
      const found = await editionLeftOut(ctx, edition);
      if (!found) return null;
      const { count, named } = found.report;
      return {
        summary: `${count} reader${count === 1 ? '' : 's'} ${found.verb} nothing from this edition`,
        readers:
          named.map((reader) => `${reader.email} (${reader.reason})`).join('; ') +
          (count > named.length ? `; … and ${count - named.length} more` : ''),
      };
    } catch (error) {
      ctx.logger.warn({ err: error, edition: edition.id }, 'desk: readers left out unavailable');
      return null;
    }
  };

  desk.get('/desk/e/:newsletter/:slot', async (request, reply) => {
    const edition = await load(request, reply);
    if (!edition) return reply;
    const session = deskSession(request);
    const query = request.query as Record<string, string | undefined>;
    const curator = createCurator(ctx, session.editor.name);
    const q = (query.q ?? '').trim();
    const subscribers: string[] = [];
    for await (const recipient of ctx.store.subscribers.streamRecipients(edition.newsletterId, { batchSize: 200 })) {
      subscribers.push(recipient.email);
      if (subscribers.length >= 200) break;
    }
    const view = buildEditionView(ctx, edition, {
      addable: deps.sends.isRunning(edition.id) ? [] : await curator.listAddable(edition.id, 30),
      found: q ? await curator.search(q, 20) : null,
      query: q,
      audit: await ctx.store.audit.list({ editionId: edition.id, limit: 100 }),
      subscribers,
      locales: deps.locales,
    });
    const feedback = await editionFeedback(edition);
    const previewQuery = new URLSearchParams({
      subscriber: query.subscriber ?? '',
      locale: query.locale ?? '',
    }).toString();
    let preview: Record<string, unknown>;
    try {
      const result = await previewEdition(ctx, edition, { subscriber: query.subscriber, locale: query.locale });
      preview = result.ok
        ? {
            ok: true,
            subject: result.subject,
            text: result.text,
            bytes: result.htmlBytes,
            clipBytes: GMAIL_CLIP_BYTES,
            clipped: result.htmlBytes > GMAIL_CLIP_BYTES,
            reader: result.readerEmail,
            src: `${editionPath(edition.id)}/preview?${previewQuery}`,
          }
        : { ok: false, reason: result.reason };
    } catch (error) {
      preview = { ok: false, reason: describeError(error) };
    }
    return sendDeskHtml(
      reply,
      views.render('edition', {
        title: edition.id,
        editor: session.editor,
        isAdmin: session.editor.role === 'admin',
        csrf: session.csrfToken,
        path: editionPath(edition.id),
        edition: view,
        preview,
        selectedSubscriber: query.subscriber ?? '',
        selectedLocale: query.locale ?? '',
        sending: edition.status === 'sending' || deps.sends.isRunning(edition.id),
        ambiguous: await ambiguousRowsView(ctx, edition),
        feedback,
        leftOut: await leftOut(edition),
        note: query.note ?? null,
        error: query.error ?? null,
        // From the bookmarklet (desk-add-link.ts): the link to add, prefilled in the form.
        addUrl: query.addurl ?? '',
      }),
    );
  });

  desk.post('/desk/e/:newsletter/:slot', async (request, reply) => {
    const edition = await load(request, reply);
    if (!edition) return reply;
    const session = deskSession(request);
    const back = editionPath(edition.id);
    const op = field(request.body, 'op');
    if (op === 'resolve' || op === 'resolve-confirmed') {
      const step = await resolveOnDesk(ctx, edition, session.editor, request.body);
      if (step.kind === 'forbidden')
        return sendDeskHtml(reply, views.render('message', { title: 'Not allowed', message: step.message }), 403);
      if (step.kind === 'confirm') {
        const context = {
          title: 'Resolve ambiguous deliveries',
          editor: session.editor,
          csrf: session.csrfToken,
          path: back,
          edition: edition.id,
          ...step.context,
        };
        return sendDeskHtml(reply, views.render('resolve-confirm', context));
      }
      const query = step.note
        ? `note=${encodeURIComponent(step.note)}`
        : `error=${encodeURIComponent(step.error ?? '')}`;
      return reply.redirect(`${back}?${query}#ambiguous`, 303);
    }
    try {
      const outcome = await applyDeskAction(deps, edition, session.editor, request.body);
      if (outcome.forbidden) {
        return sendDeskHtml(reply, views.render('message', { title: 'Not allowed', message: outcome.note }), 403);
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
  });

  // The step between "Send now" and the send: who it goes to, and one more button (POST, CSRF).
  desk.get('/desk/e/:newsletter/:slot/send', async (request, reply) => {
    const edition = await load(request, reply);
    if (!edition) return reply;
    const session = deskSession(request);
    if (session.editor.role !== 'admin') {
      return sendDeskHtml(
        reply,
        views.render('message', { title: 'Not allowed', message: 'Only an admin can send an edition from the desk.' }),
        403,
      );
    }
    const newsletter = ctx.config.newsletters.find((n) => n.id === edition.newsletterId)!;
    const audience = await ctx.store.subscribers.count(edition.newsletterId, ctx.clock.now());
    const ledger = await ctx.store.ledger.counts(edition.id);
    return sendDeskHtml(
      reply,
      views.render('send-confirm', {
        title: `Send ${edition.id}`,
        editor: session.editor,
        csrf: session.csrfToken,
        path: editionPath(edition.id),
        edition: { id: edition.id, status: edition.status, newsletterTitle: newsletter.title },
        audience,
        alreadyHandled: ledger.accepted + ledger.failed + ledger.skipped,
        readOnly: edition.status === 'sending' || edition.status === 'sent' || deps.sends.isRunning(edition.id),
        needsApproval: newsletter.requireApproval && edition.status !== 'approved',
      }),
    );
  });

  desk.get('/desk/e/:newsletter/:slot/preview', async (request, reply) => {
    const edition = await load(request, reply);
    if (!edition) return reply;
    const query = request.query as Record<string, string | undefined>;
    let html: string;
    try {
      const result = await previewEdition(ctx, edition, { subscriber: query.subscriber, locale: query.locale });
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
  });

  // Live progress of a send: the ledger's counts every second, with the rate between
  // samples and the time left at that rate, as server-sent events.
  const streams = new Set<FastifyReply>();
  desk.addHook('preClose', async () => {
    for (const stream of streams) stream.raw.end();
  });
  desk.get('/desk/e/:newsletter/:slot/progress', async (request, reply) => {
    const edition = await load(request, reply);
    if (!edition) return reply;
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    streams.add(reply);
    let previous: { done: number; at: number } | null = null;
    const tick = async () => {
      const { counts, status, audience, notYetQueued, inFlightAtWorkers, ambiguous } = await readEditionProgress(
        ctx,
        edition.id,
      );
      const done = counts.accepted + counts.failed + counts.skipped;
      const now = performance.now();
      const rate = previous && now > previous.at ? ((done - previous.done) * 1000) / (now - previous.at) : 0;
      previous = { done, at: now };
      const remaining = counts.pending + counts.sending + notYetQueued;
      const event = {
        ...counts,
        status,
        audience,
        notYetQueued,
        inFlightAtWorkers,
        ambiguous,
        rate: Math.round(rate * 10) / 10,
        secondsLeft: rate > 0 ? Math.ceil(remaining / rate) : null,
      };
      reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
      if (status !== 'sending' && !deps.sends.isRunning(edition.id)) stop();
    };
    const timer = setInterval(() => void tick().catch(stop), 1000);
    function stop() {
      clearInterval(timer);
      streams.delete(reply);
      reply.raw.end();
    }
    request.raw.on('close', stop);
    await tick();
  });
}
