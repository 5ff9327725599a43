import { z } from 'zod';
import type { NewsletterConfig } from '../../config/schema.ts';
import { TidingsError } from '../../core/errors.ts';
import { baseLanguage } from '../../core/locale-tag.ts';
import type { SubscriberRecord } from '../../subscribers/subscriber-store.ts';
import { maskEmail, type ResolvedLink, type ServiceCore } from './service-core.ts';
import type { NewsletterPreferences, PreferencesInput, PreferencesView } from './subscriber-types.ts';
import { isTimeZone } from '../../core/zone-time.ts';
import { readerNewsletters } from '../../config/cadences.ts';
import { cadenceState, checkCadence } from './reader-cadence.ts';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be an id')
  .max(64);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** How far ahead a pause may reach. */
const MAX_PAUSE_DAYS = 366;

/** The preferences form as data; every field checked (the web layer passes what the form sent). */
export const preferencesInputSchema = z.strictObject({
  newsletters: z
    .array(
      z.strictObject({
        id: slug,
        subscribed: z.boolean(),
        categories: z.array(slug).max(100).nullable(),
        // Absent: the cadence stays as chosen (a form or an API call that does not show it).
        cadence: slug.optional(),
      }),
    )
    .max(100),
  locale: z.string().max(35).nullable().optional(),
  timezone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
    .nullable()
    .optional(),
  pausedUntil: z
    .string()
    .regex(DAY, 'must be a date YYYY-MM-DD')
    .refine((day) => new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), 'is not a real date')
    .nullable()
    .optional(),
});

/**
 * Whether a locale may be stored: one of the locale files, or a valid tag whose
 * language has one (`en-GB` → the `en` templates), so a region is kept, not erased.
 */
export function isOfferedLocale(locale: string, offered: readonly string[]): boolean {
  if (offered.includes(locale)) return true;
  let canonical: string[];
  try {
    canonical = Intl.getCanonicalLocales(locale);
  } catch {
    return false;
  }
  return canonical.length === 1 && offered.some((code) => baseLanguage(code) === baseLanguage(locale));
}

/** The locales the form offers: the locale files, and the reader's own when it is a region of one (kept selected). */
function offeredLocales(core: ServiceCore, own: string | null): string[] {
  const files = [...core.deps.locales];
  return own && !files.includes(own) && isOfferedLocale(own, files) ? [...files, own].sort() : files;
}

/**
 * The newsletters this person may choose: those they have (unless removed by the lists)
 * and open signups. A newsletter's other cadence streams are not newsletters of their own
 * to a reader: its cadence is a choice within it.
 */
function choosable(core: ServiceCore, subscriber: SubscriberRecord): NewsletterConfig[] {
  return readerNewsletters(core.deps.config.newsletters).filter((newsletter) => {
    const subscription = subscriber.subscriptions.find((s) => s.newsletterId === newsletter.id);
    return newsletter.signup || (subscription !== undefined && subscription.status !== 'removed');
  });
}

function categoryTitle(core: ServiceCore, slugText: string): string {
  return core.deps.config.categories[slugText]?.title ?? slugText;
}

function view(core: ServiceCore, link: ResolvedLink, subscriber: SubscriberRecord): PreferencesView {
  const newsletters: NewsletterPreferences[] = choosable(core, subscriber).map((newsletter) => {
    const subscription = subscriber.subscriptions.find((s) => s.newsletterId === newsletter.id);
    const chosen = subscription?.categories ?? null;
    return {
      id: newsletter.id,
      title: newsletter.title,
      subscribed: subscription?.status === 'active',
      allCategories: chosen === null,
      categories: newsletter.categories.map((slugText) => ({
        slug: slugText,
        title: categoryTitle(core, slugText),
        chosen: chosen === null || chosen.includes(slugText),
      })),
      cadence: cadenceState(core.deps.config, newsletter.id, subscription, core.now()),
    };
  });
  const today = core.now().toISOString().slice(0, 10);
  return {
    maskedEmail: maskEmail(subscriber.email),
    newsletterId: link.newsletter.id,
    locale: subscriber.locale,
    timezone: subscriber.timezone,
    pausedUntil: subscriber.pausedUntil && subscriber.pausedUntil > today ? subscriber.pausedUntil : null,
    newsletters,
    locales: offeredLocales(core, subscriber.locale),
  };
}

async function resolvePerson(
  core: ServiceCore,
  token: string,
): Promise<{ link: ResolvedLink; subscriber: SubscriberRecord }> {
  const link = await core.resolve(token, ['preferences']);
  if (!link.subscriber) throw new TidingsError('NOT_FOUND', 'this link no longer leads to a subscriber');
  return { link, subscriber: link.subscriber };
}

export async function getPreferences(core: ServiceCore, token: string): Promise<PreferencesView> {
  const { link, subscriber } = await resolvePerson(core, token);
  return view(core, link, subscriber);
}

function invalid(field: string, message: string): never {
  throw new TidingsError('INPUT_INVALID', message, { where: field });
}

/**
 * Stores what the reader chose. Categories are per newsletter; ticking all of them is
 * stored as "all" (so categories added later are included). A subscription's status
 * origin changes only when its status does, so saving categories alone leaves the
 * lists in charge of whether the person is on them.
 */
export async function savePreferences(
  core: ServiceCore,
  token: string,
  raw: PreferencesInput,
): Promise<PreferencesView> {
  const { subscriber } = await resolvePerson(core, token);
  const parsed = preferencesInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    invalid(issue.path.join('.') || 'preferences', issue.message);
  }
  const input = parsed.data;
  const allowed = new Map(choosable(core, subscriber).map((n) => [n.id, n]));
  const today = core.now().toISOString().slice(0, 10);
  // A field the form did not show keeps what is stored.
  const locale = input.locale === undefined ? subscriber.locale : input.locale;
  const timezone = input.timezone === undefined ? subscriber.timezone : input.timezone;
  const storedPause = subscriber.pausedUntil && subscriber.pausedUntil > today ? subscriber.pausedUntil : null;
  const wantedPause = input.pausedUntil === undefined ? storedPause : input.pausedUntil;
  if (input.locale && !isOfferedLocale(input.locale, core.deps.locales))
    invalid('locale', `must be one of ${core.deps.locales.join(', ')} (or a region of one, such as en-GB)`);
  if (input.pausedUntil) {
    const latest = new Date(core.now().getTime() + MAX_PAUSE_DAYS * 86_400_000).toISOString().slice(0, 10);
    if (input.pausedUntil > latest) invalid('pausedUntil', `must be at most ${MAX_PAUSE_DAYS} days ahead`);
  }
  const changes = checkedChanges(core, input.newsletters, allowed);

  const store = core.deps.store.subscribers;
  const at = core.now();
  for (const change of changes) {
    const current = subscriber.subscriptions.find((s) => s.newsletterId === change.newsletter.id);
    const active = current?.status === 'active';
    if (change.subscribed && active) {
      const same = JSON.stringify(current.categories) === JSON.stringify(change.categories);
      if (!same) await store.setPreferences(subscriber.id, change.newsletter.id, change.categories, at);
    } else if (change.subscribed) {
      await store.subscribe(subscriber.id, change.newsletter.id, at, change.categories);
    } else if (active) {
      await store.unsubscribe(subscriber.id, change.newsletter.id, at, { channel: 'preferences', editionId: null });
    }
  }
  await applyCadences(core, subscriber, changes);
  const pausedUntil = wantedPause && wantedPause > today ? wantedPause : null;
  if (locale !== subscriber.locale || timezone !== subscriber.timezone || pausedUntil !== storedPause) {
    await store.setProfile(subscriber.id, { locale, timezone, pausedUntil }, at);
  }
  const fresh = await core.resolve(token, ['preferences']);
  return view(core, fresh, fresh.subscriber!);
}

/** One entry of the form per newsletter; each field checked (INPUT_INVALID naming it). */
interface NewsletterChange {
  newsletter: NewsletterConfig;
  subscribed: boolean;
  categories: string[] | null;
  /** Undefined: the form did not show the cadence (it stays as chosen). */
  cadence: string | undefined;
}

function checkedChanges(
  core: ServiceCore,
  entries: PreferencesInput['newsletters'],
  allowed: ReadonlyMap<string, NewsletterConfig>,
): NewsletterChange[] {
  const changes: NewsletterChange[] = [];
  for (const [index, entry] of entries.entries()) {
    const newsletter = allowed.get(entry.id);
    if (!newsletter) invalid(`newsletters.${index}.id`, `"${entry.id}" is not a newsletter this address can choose`);
    let categories = entry.categories === null ? null : [...new Set(entry.categories)];
    if (categories) {
      const foreign = categories.find((c) => !newsletter.categories.includes(c));
      if (foreign) invalid(`newsletters.${index}.categories`, `"${foreign}" is not a category of ${newsletter.title}`);
      if (entry.subscribed && categories.length === 0)
        invalid(
          `newsletters.${index}.categories`,
          `choose at least one category of ${newsletter.title}, or unsubscribe from it`,
        );
      if (newsletter.categories.every((c) => categories!.includes(c))) categories = null;
    }
    const cadence =
      entry.cadence === undefined
        ? undefined
        : checkCadence(core.deps.config, newsletter.id, entry.cadence, `newsletters.${index}.cadence`);
    changes.push({ newsletter, subscribed: entry.subscribed, categories, cadence });
  }
  return changes;
}

/**
 * The cadences chosen on the form, after the subscriptions are stored. A subscription
 * that starts with this save takes its cadence at once; an active one changes from the
 * reader's next period (changeCadence). Asking again for the cadence in effect while a
 * change waits cancels the change; asking for what is already chosen changes nothing.
 */
async function applyCadences(
  core: ServiceCore,
  before: SubscriberRecord,
  changes: readonly NewsletterChange[],
): Promise<void> {
  const wanted = changes.filter((change) => change.subscribed && change.cadence !== undefined);
  if (wanted.length === 0) return;
  const fresh = await core.deps.store.subscribers.getById(before.id);
  for (const change of wanted) {
    const id = change.newsletter.id;
    const wasActive = before.subscriptions.some((s) => s.newsletterId === id && s.status === 'active');
    const subscription = fresh?.subscriptions.find((s) => s.newsletterId === id);
    const state = cadenceState(core.deps.config, id, subscription, core.now());
    if (!state || state.chosen === change.cadence) continue;
    if (wasActive) await core.changeCadence(before.id, id, change.cadence!);
    else await core.startCadence(before.id, id, change.cadence!);
  }
}
