import { createMessageBuilder } from '../delivery/message-builder.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import type { Edition } from '../editions/edition.ts';
import type { AppContext } from './context.ts';
import { messageBuilderOptions } from './edition-messages.ts';
import { EditionPipeline, findNewsletter, requireSecret } from './edition-pipeline.ts';
import { resolveReader } from './resolve-reader.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where an editor opens a draft on the desk (`/desk/e/<newsletter>/<slot>`, served by `tidings serve` and `start`). */
export function deskEditionUrl(baseUrl: string, editionId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/desk/e/${editionId.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The approval email: the draft as a sample reader (every category) sees it, with a
 * banner linking to the edition on the desk and the command that approves it. Sent to
 * `newsletters[].editors`, else the global `editors`. Returns the addresses it reached;
 * a failing address is logged, the others still get it.
 */
export async function notifyEditors(ctx: AppContext, newsletterId: string, edition: Edition): Promise<string[]> {
  const newsletter = findNewsletter(ctx, newsletterId);
  const editors = newsletter.editors ?? ctx.config.editors;
  if (editors.length === 0) {
    ctx.logger.warn(
      { edition: edition.id },
      `draft waits for approval but no editors are configured (newsletters.${newsletterId}.editors or editors)`,
    );
    return [];
  }
  const secret = requireSecret(ctx);
  const pipeline = await EditionPipeline.open(ctx, newsletterId, new Date(edition.slot));
  const reader = await resolveReader(ctx, pipeline, undefined);
  const plan = pipeline.plan(reader, reader.received);
  const link = deskEditionUrl(ctx.config.web.baseUrl, edition.id);
  const approve = ctx.commandLine(`edition approve ${edition.id}`);
  const deadline = new Date(new Date(edition.slot).getTime() + newsletter.approvalDeadline).toISOString();
  const intro = `Approval needed for ${edition.id}: it goes out at ${edition.slot} once approved. Unapproved at ${deadline}, it is ${newsletter.onApprovalTimeout === 'send' ? 'sent anyway' : 'skipped'}.`;
  const urls = pipeline.links(secret)(0);
  let content = { subject: `[APPROVAL NEEDED] ${edition.id}`, html: `<p>${escapeHtml(intro)}</p>`, text: intro };
  if (!('skip' in plan)) {
    const preview = pipeline.personalize(await pipeline.render(plan), reader, urls);
    const banner = `<div style="padding:12px;border:2px solid #c60;font-family:sans-serif"><p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">Review and approve on the desk</a> · or run <code>${escapeHtml(approve)}</code></p></div>`;
    content = {
      subject: `[APPROVAL NEEDED] ${preview.subject}`,
      html: /<body[^>]*>/i.test(preview.html)
        ? preview.html.replace(/<body[^>]*>/i, (body) => `${body}${banner}`)
        : banner + preview.html,
      text: `${intro}\nReview and approve: ${link}\nor run: ${approve}\n\n${preview.text}`,
    };
  }
  // The newsletter's sender as a notification: no list fields (so no unsubscribe address
  // to check) and no Reply-To, as before the options were shared.
  const build = createMessageBuilder({
    ...messageBuilderOptions(ctx, newsletter, secret),
    replyTo: undefined,
    unsubscribeMailto: undefined,
    kind: 'notification',
  });
  const transport = createMailTransport(ctx.config.transport, ctx.baseDir, {
    clock: ctx.clock,
    logger: ctx.logger,
    abortSignal: ctx.shutdown.expired,
  });
  const reached: string[] = [];
  try {
    for (const [index, email] of editors.entries()) {
      try {
        const message = build({
          editionId: `${edition.id}-approval`,
          recipient: { id: -(index + 1), email, name: null },
          content,
          urls,
        });
        await transport.send(message);
        reached.push(email);
      } catch (error) {
        ctx.logger.warn({ edition: edition.id, editor: email }, `approval email not sent: ${(error as Error).message}`);
      }
    }
  } finally {
    await transport.close();
  }
  return reached;
}
