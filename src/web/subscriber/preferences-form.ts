import { z } from 'zod';
import type { PreferencesInput, PreferencesView } from '../../app/subscribers/subscriber-service.ts';
import { manyValues, oneValue } from '../request-schemas.ts';

/**
 * The preferences form body → the app layer's PreferencesInput. Field names:
 * `shown` (each newsletter on the form), `newsletter` (the ones ticked),
 * `categories.<newsletter>` (ticked categories), `cadence.<newsletter>` (the cadence
 * chosen, where the newsletter offers more than one), `locale`, `timezone`, `pausedUntil`.
 * Ticking every category, or none, means "every category" (null).
 */
const CATEGORY_FIELD = /^categories\.([a-z0-9][a-z0-9-]{0,63})$/;
const CADENCE_FIELD = /^cadence\.([a-z0-9][a-z0-9-]{0,63})$/;

export const preferencesBody = z
  .looseObject({
    action: z.enum(['save', 'erase', 'erase-confirm', 'resubscribe']).default('save'),
    shown: manyValues,
    newsletter: manyValues,
    locale: oneValue,
    timezone: oneValue,
    pausedUntil: oneValue,
  })
  .superRefine((body, ctx) => {
    for (const key of Object.keys(body)) {
      if (['action', 'shown', 'newsletter', 'locale', 'timezone', 'pausedUntil'].includes(key)) continue;
      if (CADENCE_FIELD.test(key)) {
        if (!oneValue.safeParse(body[key]).success)
          ctx.addIssue({ code: 'custom', message: 'bad cadence', path: [key] });
      } else if (!CATEGORY_FIELD.test(key))
        ctx.addIssue({ code: 'custom', message: `unknown field ${key}`, path: [key] });
      else if (!manyValues.safeParse(body[key]).success)
        ctx.addIssue({ code: 'custom', message: 'bad categories', path: [key] });
    }
    if (body.pausedUntil && !/^\d{4}-\d{2}-\d{2}$/.test(body.pausedUntil))
      ctx.addIssue({ code: 'custom', message: 'not a date', path: ['pausedUntil'] });
  });

export type PreferencesBody = z.output<typeof preferencesBody>;

export function toPreferencesInput(body: PreferencesBody, current: PreferencesView): PreferencesInput {
  const shown = new Set(body.shown);
  const ticked = new Set(body.newsletter);
  const newsletters = current.newsletters
    .filter((newsletter) => shown.has(newsletter.id))
    .map((newsletter) => {
      const chosen = manyValues.parse(body[`categories.${newsletter.id}`]);
      const known = newsletter.categories.map((category) => category.slug);
      const picked = known.filter((slug) => chosen.includes(slug));
      // Only a newsletter that offers a choice shows the select; without the field the cadence stays.
      const cadence = newsletter.cadence ? oneValue.parse(body[`cadence.${newsletter.id}`])?.trim() : undefined;
      return {
        id: newsletter.id,
        subscribed: ticked.has(newsletter.id),
        categories: picked.length === 0 || picked.length === known.length ? null : picked,
        ...(cadence ? { cadence } : {}),
      };
    });
  // A field the form did not send stays as stored (undefined); an empty one means the default.
  const sent = (value: string | undefined) => (value === undefined ? undefined : value.trim() || null);
  return {
    newsletters,
    locale: sent(body.locale),
    timezone: sent(body.timezone),
    pausedUntil: sent(body.pausedUntil),
  };
}

/** The zones offered in the select: the runtime's IANA list. */
export function listTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}
