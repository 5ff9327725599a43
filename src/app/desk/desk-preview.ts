import type { Edition } from '../../editions/edition.ts';
import type { AppContext } from '../context.ts';
import { EditionPipeline } from '../edition-pipeline.ts';
import { resolveReader } from '../resolve-reader.ts';

/** Gmail clips a message whose HTML is larger than this (102 KB). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

export type DeskPreview =
  | {
      ok: true;
      html: string;
      text: string;
      subject: string;
      htmlBytes: number;
      readerEmail: string;
      articleCount: number;
    }
  | { ok: false; reason: string };

/**
 * The email exactly as one subscriber (or a sample reader of every section, in a chosen
 * locale) receives it: the same pipeline as `tidings preview` and `tidings send`.
 */
export async function previewEdition(
  ctx: AppContext,
  edition: Edition,
  options: { subscriber?: string; locale?: string },
): Promise<DeskPreview> {
  const pipeline = await EditionPipeline.open(ctx, edition.newsletterId, new Date(edition.slot));
  const reader = await resolveReader(ctx, pipeline, options.subscriber || undefined);
  if (!options.subscriber && options.locale) reader.locale = options.locale;
  const plan = pipeline.plan(reader, reader.received);
  if ('skip' in plan) return { ok: false, reason: plan.skip };
  const segment = await pipeline.render(plan);
  const secret = ctx.config.web.secret;
  // Links for nobody (id 0): clicking unsubscribe in a preview cannot unsubscribe the reader shown.
  const urls = secret
    ? pipeline.links(secret)(0)
    : {
        unsubscribeUrl: `${ctx.config.web.baseUrl}/u/preview`,
        preferencesUrl: `${ctx.config.web.baseUrl}/p/preview`,
        viewUrl: pipeline.webVersionUrl,
      };
  const message = pipeline.personalize(segment, reader, urls);
  return {
    ok: true,
    html: message.html,
    text: message.text,
    subject: message.subject,
    htmlBytes: Buffer.byteLength(message.html),
    readerEmail: reader.email,
    articleCount: plan.articleIds.length,
  };
}

/** The same email as a dark-mode client shows it: its `prefers-color-scheme: dark` rules applied unconditionally. */
export function forceDarkMode(html: string): string {
  return html.replace(/@media\s*\(prefers-color-scheme:\s*dark\)/g, '@media all');
}
