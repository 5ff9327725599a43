import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { NewsletterConfig } from '../../config/schema.ts';
import { SIGNUP_NAME_MAX, signupNameProblem } from '../../app/subscribers/signup.ts';
import { offeredCadences, readerNewsletters } from '../../config/cadences.ts';
import { cadenceOptions } from './cadence-choices.ts';
import { localeChain } from '../../core/locale-tag.ts';
import { normalizeEmailAddress } from '../../subscribers/email-address.ts';
import { confirmParams, manyValues, newsletterParams, tokenSchema } from '../request-schemas.ts';
import type { RouteModule, WebContext } from '../web-context.ts';

/**
 * `/s/<newsletter>`: the signup form, its POST and the confirmation link. The POST
 * answers "check your inbox" whatever the address's state (nobody learns who is
 * subscribed); a filled honeypot, or an address over its limit, gets the same page
 * and no mail. The app layer sends the confirmation (double opt-in).
 */
export const HONEYPOT_FIELD = 'website';

// Not strict: a form embedded on another site may carry a named button or a field of its
// own; unknown fields are dropped, the known ones validated.
const signupBody = z.object({
  email: z.string().trim().min(3).max(254),
  // Longer than SIGNUP_NAME_MAX so a long name gets the form back with its reason, not a bare 400.
  name: z
    .string()
    .trim()
    .max(SIGNUP_NAME_MAX * 4)
    .optional(),
  categories: manyValues,
  locale: z.string().trim().max(35).optional(),
  cadence: z.string().trim().max(64).optional(),
  [HONEYPOT_FIELD]: z.string().max(500).optional(),
});

/** A newsletter that takes signups (`newsletters[].signup: true`), else null (404); a cadence stream is not one. */
function signupNewsletter(web: WebContext, id: string): NewsletterConfig | null {
  const found = readerNewsletters(web.config.newsletters).find((newsletter) => newsletter.id === id);
  return found?.signup ? found : null;
}

/** Which field the re-shown form marks: a bad address, or a name that breaks the name rule. */
type FormProblem = 'email' | 'name';

function sendForm(
  web: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  newsletter: NewsletterConfig,
  values: { email?: string; name?: string; categories?: string[]; locale?: string; cadence?: string },
  status = 200,
  problem?: FormProblem,
) {
  const locale = web.localeOf(request, values.locale ?? null);
  const offered = offeredCadences(web.config, newsletter.id);
  // The first cadence is the default, so it is selected until the reader picks another.
  const cadences =
    offered && offered.length > 1
      ? cadenceOptions(web.views.translator(locale), offered, values.cadence ?? offered[0]!)
      : null;
  return web.sendPage(request, reply, {
    status,
    view: 'signup',
    locale,
    context: {
      title: newsletter.title,
      newsletter: { id: newsletter.id, title: newsletter.title, description: newsletter.description },
      actionPath: `/s/${newsletter.id}`,
      honeypot: HONEYPOT_FIELD,
      invalid: problem === 'email',
      nameInvalid: problem === 'name',
      nameMax: SIGNUP_NAME_MAX,
      cadences,
      email: values.email ?? '',
      name: values.name ?? '',
      categories: newsletter.categories.map((slug) => ({
        slug,
        title: web.config.categories[slug]?.title ?? slug,
        chosen: values.categories?.includes(slug) ?? false,
      })),
      locales: Object.keys(web.views.locales)
        .sort()
        .map((code) => ({
          code,
          selected: code === localeChain(locale).find((candidate) => candidate in web.views.locales),
        })),
    },
  });
}

export const registerSignupRoutes: RouteModule = (app, web) => {
  const limits = web.config.web.rateLimit;

  app.get('/s/:newsletter', async (request, reply) => {
    const params = newsletterParams.safeParse(request.params);
    const newsletter = params.success ? signupNewsletter(web, params.data.newsletter) : null;
    if (!newsletter) return web.sendError(request, reply, 404);
    return sendForm(web, request, reply, newsletter, {});
  });

  app.post(
    '/s/:newsletter',
    { config: { rateLimit: { max: limits.signupPerHour, timeWindow: 60 * 60 * 1000 } } },
    async (request, reply) => {
      const params = newsletterParams.safeParse(request.params);
      const newsletter = params.success ? signupNewsletter(web, params.data.newsletter) : null;
      if (!newsletter) return web.sendError(request, reply, 404);
      const body = signupBody.safeParse(request.body ?? {});
      if (!body.success) return web.sendError(request, reply, 400);
      const { email, name, categories, locale, cadence } = body.data;
      const sent = () =>
        web.sendPage(request, reply, {
          view: 'signup-sent',
          locale: web.localeOf(request, locale ?? null),
          context: { title: newsletter.title, newsletter },
        });
      if (body.data[HONEYPOT_FIELD]) {
        request.log.info({ newsletter: newsletter.id }, 'signup honeypot filled: no mail sent');
        return sent();
      }
      // The same address rule as the subscriber lists (IDN domains included).
      if (!normalizeEmailAddress(email).ok) return sendForm(web, request, reply, newsletter, body.data, 400, 'email');
      if (name && signupNameProblem(name)) return sendForm(web, request, reply, newsletter, body.data, 400, 'name');
      await web.subscribers.requestSignup(
        newsletter.id,
        {
          email,
          name: name || null,
          categories: categories.length > 0 ? categories : null,
          locale: locale || null,
          cadence: cadence || null,
        },
        { ip: request.ip },
      );
      return sent();
    },
  );

  // A GET (or HEAD: mail scanners and link previews fetch every link) only shows what the
  // link would confirm, with one button; the POST of that button confirms.
  app.get('/s/:newsletter/confirm/:token', async (request, reply) => {
    const link = confirmLink(request);
    if (!link) return web.sendError(request, reply, 400, 'web_error_token');
    const pending = await web.subscribers.describeSignup(link.token);
    if (pending.newsletter.id !== link.newsletter) return web.sendError(request, reply, 400, 'web_error_token');
    const done = !pending.changed;
    return web.sendPage(request, reply, {
      view: done ? 'signup-confirmed' : 'signup-confirm',
      locale: pending.locale,
      context: {
        title: pending.newsletter.title,
        newsletter: pending.newsletter,
        maskedEmail: pending.maskedEmail,
        actionPath: `/s/${link.newsletter}/confirm/${link.token}`,
      },
    });
  });

  app.post('/s/:newsletter/confirm/:token', async (request, reply) => {
    const link = confirmLink(request);
    if (!link) return web.sendError(request, reply, 400, 'web_error_token');
    // Described first, so a link of another newsletter's path changes nothing.
    const pending = await web.subscribers.describeSignup(link.token);
    if (pending.newsletter.id !== link.newsletter) return web.sendError(request, reply, 400, 'web_error_token');
    const confirmed = await web.subscribers.confirmSignup(link.token);
    return web.sendPage(request, reply, {
      view: 'signup-confirmed',
      locale: confirmed.locale,
      context: {
        title: confirmed.newsletter.title,
        newsletter: confirmed.newsletter,
        maskedEmail: confirmed.maskedEmail,
        changed: confirmed.changed,
      },
    });
  });
};

/** The confirmation token of the path (with its newsletter), or null when not shaped like ours. */
function confirmLink(request: FastifyRequest): { token: string; newsletter: string } | null {
  const params = confirmParams.safeParse(request.params);
  if (!params.success || !tokenSchema.safeParse(params.data.token).success) return null;
  return params.data;
}
