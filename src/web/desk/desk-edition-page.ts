import type { FastifyReply, FastifyRequest } from 'fastify';
import { GMAIL_CLIP_BYTES } from '../../app/desk/desk-preview.ts';
import { describeError } from '../../core/errors.ts';
import type { Edition } from '../../editions/edition.ts';
import type { DeskDeps } from './desk-deps.ts';
import { deskSession, sendDeskHtml } from './desk-request.ts';
import { ambiguousRowsView } from './desk-resolve.ts';
import { buildEditionView } from './edition-view-model.ts';
import { editionPath } from './edition-list-model.ts';
import { feedbackView } from './feedback-view.ts';

type PageQuery = Record<string, string | undefined>;

/** How many readers the preview offers to show the edition as. */
const PREVIEW_READERS = 200;

/** `GET /desk/e/:newsletter/:slot`: the edition with its curation forms, preview and figures. */
export async function sendEditionPage(
  deps: DeskDeps,
  edition: Edition,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const session = deskSession(request);
  const query = request.query as PageQuery;
  return sendDeskHtml(
    reply,
    deps.views.render('edition', {
      title: edition.id,
      editor: session.editor,
      isAdmin: session.editor.role === 'admin',
      csrf: session.csrfToken,
      path: editionPath(edition.id),
      edition: await curationView(deps, edition, session.editor.name, query),
      preview: await previewSummary(deps, edition, query),
      selectedSubscriber: query.subscriber ?? '',
      selectedLocale: query.locale ?? '',
      sending: edition.status === 'sending' || deps.sends.isRunning(edition.id),
      ambiguous: await ambiguousRowsView(deps.ops, edition),
      feedback: await editionFeedback(deps, edition),
      leftOut: await leftOutLine(deps, edition),
      note: query.note ?? null,
      error: query.error ?? null,
      // From the bookmarklet (desk-add-link.ts): the link to add, prefilled in the form.
      addUrl: query.addurl ?? '',
    }),
  );
}

/** The sections and articles with what can be added, the search results and the audit trail. */
async function curationView(deps: DeskDeps, edition: Edition, editorName: string, query: PageQuery) {
  const { ops } = deps;
  const curator = ops.curator(editorName);
  const q = (query.q ?? '').trim();
  return buildEditionView(deps, edition, {
    addable: deps.sends.isRunning(edition.id) ? [] : await curator.listAddable(edition.id, 30),
    found: q ? await curator.search(q, 20) : null,
    query: q,
    audit: await ops.reads.auditTrail(edition.id, 100),
    subscribers: await ops.reads.sampleRecipients(edition.newsletterId, PREVIEW_READERS),
    locales: deps.locales,
  });
}

/** The preview's subject, text and size for the reader and locale chosen; a failure is shown, not thrown. */
async function previewSummary(deps: DeskDeps, edition: Edition, query: PageQuery): Promise<Record<string, unknown>> {
  const previewQuery = new URLSearchParams({ subscriber: query.subscriber ?? '', locale: query.locale ?? '' });
  try {
    const result = await deps.ops.preview(edition, { subscriber: query.subscriber, locale: query.locale });
    if (!result.ok) return { ok: false, reason: result.reason };
    return {
      ok: true,
      subject: result.subject,
      text: result.text,
      bytes: result.htmlBytes,
      clipBytes: GMAIL_CLIP_BYTES,
      clipped: result.htmlBytes > GMAIL_CLIP_BYTES,
      reader: result.readerEmail,
      src: `${editionPath(edition.id)}/preview?${previewQuery.toString()}`,
    };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  }
}

/** Bounces and complaints are a figure on the page, not a reason to fail it. */
async function editionFeedback(deps: DeskDeps, edition: Edition) {
  const found = await deps.ops.reads.feedbackOf(edition);
  return found ? feedbackView(found.counts, found.accepted) : null;
}

/** Readers who get nothing from the edition: a short line on the page, never a reason to fail it. */
async function leftOutLine(deps: DeskDeps, edition: Edition) {
  try {
    const found = await deps.ops.leftOut(edition);
    if (!found) return null;
    const { count, named } = found.report;
    return {
      summary: `${count} reader${count === 1 ? '' : 's'} ${found.verb} nothing from this edition`,
      readers:
        named.map((reader) => `${reader.email} (${reader.reason})`).join('; ') +
        (count > named.length ? `; … and ${count - named.length} more` : ''),
    };
  } catch (error) {
    deps.logger.warn({ err: error, edition: edition.id }, 'desk: readers left out unavailable');
    return null;
  }
}
