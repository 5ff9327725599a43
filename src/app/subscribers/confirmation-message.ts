import type { NewsletterConfig } from '../../config/schema.ts';
import type { OutgoingMessage } from '../../delivery/mail-transport.ts';
import { singleLine } from '../../delivery/mime-headers.ts';
import { escapeHtml } from '../../render/safe-url.ts';
import { buildTransactionalMail } from './transactional-mail.ts';

/**
 * The two small transactional mails of a signup: "confirm your subscription" (with the
 * link) and "you are already subscribed" (sent instead, so the form's answer never
 * tells who is on the list). Plain wording in en, ru, de and fr; every header value passes
 * through singleLine; the HTML escapes everything it shows.
 */
export type ConfirmationKind = 'confirm' | 'already';

interface Strings {
  subject: Record<ConfirmationKind, string>;
  body: Record<ConfirmationKind, string>;
  button: string;
  expires: string;
  ignore: string;
}

const STRINGS: Record<'en' | 'ru' | 'de' | 'fr', Strings> = {
  en: {
    subject: {
      confirm: 'Please confirm your subscription to {title}',
      already: 'You are already subscribed to {title}',
    },
    body: {
      confirm:
        'Someone (hopefully you) asked to receive {title} at this address. To start, confirm with the link below.',
      already:
        'Someone (hopefully you) asked to receive {title} at this address, and it already receives it. Nothing changes.',
    },
    button: 'Confirm my subscription',
    expires: 'The link works for 7 days.',
    ignore: 'If this was not you, ignore this message: nothing will be sent.',
  },
  ru: {
    subject: { confirm: 'Подтвердите подписку на {title}', already: 'Вы уже подписаны на {title}' },
    body: {
      confirm:
        'Кто-то (надеемся, вы) попросил присылать {title} на этот адрес. Чтобы начать, подтвердите подписку по ссылке ниже.',
      already:
        'Кто-то (надеемся, вы) попросил присылать {title} на этот адрес, но этот адрес уже подписан. Ничего не меняется.',
    },
    button: 'Подтвердить подписку',
    expires: 'Ссылка действует 7 дней.',
    ignore: 'Если это были не вы, просто не отвечайте на это письмо: ничего присылаться не будет.',
  },
  de: {
    subject: {
      confirm: 'Bitte bestätigen Sie Ihr Abonnement von {title}',
      already: 'Sie haben {title} bereits abonniert',
    },
    body: {
      confirm:
        'Jemand (hoffentlich Sie) möchte {title} an diese Adresse erhalten. Bestätigen Sie das mit dem Link unten.',
      already:
        'Jemand (hoffentlich Sie) möchte {title} an diese Adresse erhalten; diese Adresse erhält es bereits. Es ändert sich nichts.',
    },
    button: 'Abonnement bestätigen',
    expires: 'Der Link ist 7 Tage gültig.',
    ignore: 'Falls Sie das nicht waren, ignorieren Sie diese Nachricht: Es wird nichts verschickt.',
  },
  fr: {
    subject: {
      confirm: 'Merci de confirmer votre abonnement à {title}',
      already: 'Vous êtes déjà abonné·e à {title}',
    },
    body: {
      confirm:
        'Quelqu’un (vous, nous l’espérons) a demandé à recevoir {title} à cette adresse. Pour commencer, confirmez avec le lien ci-dessous.',
      already:
        'Quelqu’un (vous, nous l’espérons) a demandé à recevoir {title} à cette adresse, qui le reçoit déjà. Rien ne change.',
    },
    button: 'Confirmer mon abonnement',
    expires: 'Le lien est valable 7 jours.',
    ignore: 'Si ce n’était pas vous, ignorez ce message : rien ne sera envoyé.',
  },
};

function stringsFor(locale: string | null): Strings {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] as keyof typeof STRINGS;
  return STRINGS[language] ?? STRINGS.en;
}

export interface ConfirmationInput {
  kind: ConfirmationKind;
  newsletter: Pick<NewsletterConfig, 'id' | 'title' | 'from' | 'replyTo'>;
  to: { email: string; name: string | null };
  locale: string | null;
  /** The confirmation link (kind 'confirm' only). */
  confirmUrl?: string;
  at: Date;
}

export function buildConfirmationMessage(input: ConfirmationInput): OutgoingMessage {
  const strings = stringsFor(input.locale);
  const title = singleLine(input.newsletter.title);
  const fill = (text: string) => text.replace('{title}', title);
  const link = input.kind === 'confirm' && input.confirmUrl ? new URL(input.confirmUrl).href : null;
  const paragraphs = [fill(strings.body[input.kind]), ...(link ? [strings.expires] : []), strings.ignore];
  const text = [paragraphs[0], ...(link ? ['', link] : []), '', ...paragraphs.slice(1)].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;max-width:36em">',
    `<p>${escapeHtml(paragraphs[0]!)}</p>`,
    ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(strings.button)}</a></p>`] : []),
    ...paragraphs.slice(1).map((p) => `<p>${escapeHtml(p)}</p>`),
    '</body></html>',
  ].join('\n');
  return buildTransactionalMail({
    newsletter: input.newsletter,
    to: input.to,
    subject: fill(strings.subject[input.kind]),
    text,
    html,
    at: input.at,
    purpose: 'signup',
    editionId: `signup-${input.newsletter.id}`,
    subscriberId: 0,
  });
}
