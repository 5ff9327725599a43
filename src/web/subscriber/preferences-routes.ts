import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PreferencesView } from '../../app/subscribers/subscriber-service.ts';
import type { RouteModule, WebContext } from '../web-context.ts';
import { preferencesBody, toPreferencesInput, listTimeZones } from './preferences-form.ts';
import { cadenceOptions, pendingCadence } from './cadence-choices.ts';
import { groupTimeZones, zoneChoices } from './time-zone-choices.ts';
import { readToken } from './unsubscribe-routes.ts';

/**
 * `/p/<token>`: which newsletters, the categories of each, locale, time zone, a pause,
 * and erasure behind a confirmation step. What the reader sets here wins over the
 * subscriber files (the app layer records it as the subscriber's own choice).
 */
const ZONE_GROUPS = groupTimeZones(listTimeZones());

const newsletterTitleOf = (view: PreferencesView) =>
  view.newsletters.find((n) => n.id === view.newsletterId)?.title ?? '';

function sendPreferencesPage(
  web: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  view: PreferencesView,
  saved = false,
) {
  const locale = web.localeOf(request, view.locale);
  const translator = web.views.translator(locale);
  // Each newsletter that offers a choice of cadence gets its select, and the change waiting, if any.
  const newsletters = view.newsletters.map((newsletter) => ({
    ...newsletter,
    cadenceOptions: newsletter.cadence
      ? cadenceOptions(translator, newsletter.cadence.offered, newsletter.cadence.chosen)
      : null,
    cadencePending: newsletter.cadence ? pendingCadence(translator, newsletter.cadence) : null,
  }));
  // Dates on the page (when a change of cadence takes effect) in the reader's zone, else the newsletter's.
  const zoneOfChange = view.newsletters.find((n) => n.cadence?.pending?.firstEdition)?.cadence?.pending?.firstEdition;
  return web.sendPage(request, reply, {
    view: 'preferences',
    locale,
    timeZone: view.timezone ?? zoneOfChange?.timezone ?? 'UTC',
    context: {
      title: newsletterTitleOf(view),
      prefs: { ...view, newsletters },
      saved,
      actionPath: `/p/${token}`,
      locales: view.locales.map((code) => ({ code, selected: code === view.locale })),
      zones: zoneChoices(ZONE_GROUPS, view.timezone),
    },
  });
}

export const registerPreferencesRoutes: RouteModule = (app, web) => {
  app.get('/p/:token', async (request, reply) => {
    const token = readToken(request);
    if (!token) return web.sendError(request, reply, 400, 'web_error_token');
    return sendPreferencesPage(web, request, reply, token, await web.subscribers.getPreferences(token));
  });

  app.post('/p/:token', async (request, reply) => {
    const token = readToken(request);
    if (!token) return web.sendError(request, reply, 400, 'web_error_token');
    const body = preferencesBody.safeParse(request.body ?? {});
    if (!body.success) return web.sendError(request, reply, 400);
    const current = await web.subscribers.getPreferences(token);
    switch (body.data.action) {
      case 'erase':
        return web.sendPage(request, reply, {
          view: 'erase-confirm',
          locale: current.locale,
          // The newsletter's name above the heading, as on the other subscriber pages.
          context: { title: newsletterTitleOf(current), maskedEmail: current.maskedEmail, actionPath: `/p/${token}` },
        });
      case 'erase-confirm': {
        const erased = await web.subscribers.erase(token);
        request.log.info('subscriber erased their data');
        return web.sendPage(request, reply, {
          view: 'erased',
          locale: current.locale,
          context: { title: '', kicker: newsletterTitleOf(current), maskedEmail: erased.maskedEmail },
        });
      }
      case 'resubscribe': {
        await web.subscribers.resubscribe(token);
        return sendPreferencesPage(web, request, reply, token, await web.subscribers.getPreferences(token), true);
      }
      default: {
        const saved = await web.subscribers.savePreferences(token, toPreferencesInput(body.data, current));
        return sendPreferencesPage(web, request, reply, token, saved, true);
      }
    }
  });
};
