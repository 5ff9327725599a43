import { approvalUrls, type ApprovalAction } from './approvals/approval-links.ts';
import { createMessageBuilder } from '../delivery/message-builder.ts';
import { createMailTransport } from '../delivery/smtp-transport.ts';
import type { Edition } from '../editions/edition.ts';
import type { AppContext } from './context.ts';
import { messageBuilderOptions } from './edition-messages.ts';
import { EditionPipeline, findNewsletter, requireSecret } from './edition-pipeline.ts';
import { resolveReader } from './resolve-reader.ts';
import { sourceHealthDeps, sourceWarnings } from './source-health.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where an editor opens a draft on the desk (`/desk/e/<newsletter>/<slot>`, served by `tidings serve` and `start`). */
export function deskEditionUrl(baseUrl: string, editionId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/desk/e/${editionId.split('/').map(encodeURIComponent).join('/')}`;
}

const BUTTON =
  'display:inline-block;padding:10px 18px;margin:4px 8px 4px 0;border-radius:4px;font-weight:600;text-decoration:none';

/** The banner above the preview: approve and skip (signed, single-use, until the deadline), the desk, the command. */
function approvalBanner(intro: string, buttons: Record<ApprovalAction, string>, desk: string, command: string): string {
  const button = (href: string, label: string, colors: string) =>
    `<a href="${escapeHtml(href)}" style="${BUTTON};${colors}">${escapeHtml(label)}</a>`;
  return `<div style="padding:12px;border:2px solid #c60;font-family:sans-serif"><p>${escapeHtml(intro)}</p><p>${button(buttons.approve, 'Approve', 'background:#1f6f3f;color:#ffffff')}${button(buttons.skip, 'Skip this slot', 'background:#9f1239;color:#ffffff')}${button(desk, 'Open in the desk', 'background:#e8e3da;color:#1f2933')}</p><p style="font-size:13px">Each button asks to confirm, works once and stops at the deadline. Or run <code>${escapeHtml(command)}</code></p></div>`;
}

function buttonsText(buttons: Record<ApprovalAction, string>, desk: string): string {
  return `Approve: ${buttons.approve}\nSkip this slot: ${buttons.skip}\nOpen in the desk: ${desk}`;
}

/**
 * The approval email: the draft as a sample reader (every category) sees it, with a
 * banner with Approve and Skip buttons (/a/, signed per editor, single-use, until the
 * approval deadline), a link to the edition on the desk and the command that approves it. Sent to
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
  // Why a draft may be thin: the watchdog's warnings reach editors before the slot, not after.
  const watchdog = (await sourceWarnings(sourceHealthDeps(ctx), ctx.clock.now())).map(
    (w) => `Source warning: ${w.message}`,
  );
  const watchdogHtml = watchdog.map((line) => `<p style="color:#a30">${escapeHtml(line)}</p>`).join('');
  const preview = 'skip' in plan ? null : pipeline.personalize(await pipeline.render(plan), reader, urls);
  // Each editor's buttons name them (the audit log's actor) and stop working at the deadline.
  const contentFor = (editor: string) => {
    const buttons = approvalUrls(ctx.config.web.baseUrl, secret, {
      editionId: edition.id,
      editor,
      expiresAt: new Date(deadline),
    });
    const banner = approvalBanner(intro, buttons, link, approve) + watchdogHtml;
    if (!preview)
      return {
        subject: `[APPROVAL NEEDED] ${edition.id}`,
        html: banner,
        text: [intro, buttonsText(buttons, link), ...watchdog].join('\n'),
      };
    return {
      subject: `[APPROVAL NEEDED] ${preview.subject}`,
      html: /<body[^>]*>/i.test(preview.html)
        ? preview.html.replace(/<body[^>]*>/i, (body) => `${body}${banner}`)
        : banner + preview.html,
      text: [intro, buttonsText(buttons, link), `or run: ${approve}`, ...watchdog, '', preview.text].join('\n'),
    };
  };
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
          content: contentFor(email),
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
