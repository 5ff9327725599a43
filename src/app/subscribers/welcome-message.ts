import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { NewsletterConfig } from '../../config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import type { OutgoingMessage } from '../../delivery/mail-transport.ts';
import { capLength, singleLine } from '../../delivery/mime-headers.ts';
import { localeChain } from '../../core/locale-tag.ts';
import { escapeHtml } from '../../render/safe-url.ts';
import { buildTransactionalMail } from './transactional-mail.ts';

/**
 * The welcome template of a newsletter for a reader: `welcome/<newsletter id>/<locale>.txt.hbs`
 * under `templates.dir` (wins) or `templates/`, looked up along each locale's chain (de-at,
 * de, en) in order (the reader's, then the newsletter's), else the first one there is.
 * Null when the newsletter has none: a welcome mail is optional.
 */
export function findWelcomeTemplate(
  dirs: readonly string[],
  newsletterId: string,
  locales: readonly string[],
): string | null {
  const folders = [...dirs].reverse().map((dir) => path.join(dir, 'welcome', newsletterId));
  for (const code of locales.flatMap((locale) => localeChain(locale))) {
    for (const folder of folders) {
      const file = path.join(folder, `${code}.txt.hbs`);
      if (existsSync(file)) return file;
    }
  }
  for (const folder of folders) {
    const first = existsSync(folder)
      ? readdirSync(folder)
          .sort()
          .find((name) => name.endsWith('.txt.hbs'))
      : undefined;
    if (first) return path.join(folder, first);
  }
  return null;
}

/** True when the newsletter has a welcome template in some locale. */
export function hasWelcomeTemplate(dirs: readonly string[], newsletterId: string): boolean {
  return findWelcomeTemplate(dirs, newsletterId, []) !== null;
}

export interface WelcomeMessageInput {
  templateFile: string;
  newsletter: Pick<NewsletterConfig, 'id' | 'title' | 'from' | 'replyTo'>;
  to: { email: string; name: string | null; firstName: string | null };
  /** The newest sent edition on the web, or null before the first one. */
  latestEdition: { url: string; slot: string } | null;
  archiveUrl: string | null;
  unsubscribeUrl: string;
  preferencesUrl: string;
  editionId: string;
  subscriberId: number;
  at: Date;
}

/** http(s) links in escaped text become anchors; nothing else is markup. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
}

/**
 * Renders the template (plain text; its first line `Subject: …` gives the subject) into a
 * text + HTML message. The HTML is the text escaped, paragraph by paragraph, with its
 * http(s) links made clickable; headers pass through singleLine.
 */
export function buildWelcomeMessage(input: WelcomeMessageInput): OutgoingMessage {
  const source = readFileSync(input.templateFile, 'utf8');
  let rendered: string;
  try {
    rendered = Handlebars.compile(source, { noEscape: true, strict: false })({
      newsletter: { id: input.newsletter.id, title: input.newsletter.title },
      reader: { ...input.to, firstName: input.to.firstName ?? input.to.name?.split(/\s+/)[0] ?? '' },
      latestEdition: input.latestEdition,
      archiveUrl: input.archiveUrl,
      unsubscribeUrl: input.unsubscribeUrl,
      preferencesUrl: input.preferencesUrl,
    });
  } catch (cause) {
    throw new TidingsError('TEMPLATE_INVALID', (cause as Error).message, { where: input.templateFile, cause });
  }
  const match = /^Subject:(.*)\r?\n/.exec(rendered);
  if (!match)
    throw new TidingsError('TEMPLATE_INVALID', 'the first line must be "Subject: …"', { where: input.templateFile });
  const subject = capLength(singleLine(match[1]!), 200);
  const text = rendered
    .slice(match[0].length)
    .replace(/^\s*\n/, '')
    .replace(/\r\n/g, '\n')
    .trimEnd();
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;max-width:36em">',
    ...text.split(/\n{2,}/).map((p) => `<p>${linkify(escapeHtml(p)).replace(/\n/g, '<br>')}</p>`),
    '</body></html>',
  ].join('\n');
  return buildTransactionalMail({
    newsletter: input.newsletter,
    to: input.to,
    subject,
    text,
    html,
    at: input.at,
    purpose: 'welcome',
    extraHeaders: [`List-Unsubscribe: <${input.unsubscribeUrl}>`, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click'],
    editionId: input.editionId,
    subscriberId: input.subscriberId,
  });
}
