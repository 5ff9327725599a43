import type {
  PreferencesInput,
  PreferencesView,
  PublicArchive,
  SubscriberService,
  SubscriptionState,
  WebEdition,
} from '../../../src/app/subscribers/subscriber-service.ts';
import { TidingsError } from '../../../src/core/errors.ts';
import { signSubscriberToken, verifySubscriberToken } from '../../../src/delivery/subscriber-token.ts';

/**
 * A small in-memory SubscriberService for route-level tests: real signed tokens, one
 * subscriber, counters of what was called. It lets the HTTP tests check status codes,
 * headers, parsing and escaping; the app layer's rules are tested on the real service.
 */
export const STAND_IN_SECRET = 'stand-in-secret-0123456789abcdef';

export interface StandIn extends SubscriberService {
  state: SubscriptionState;
  calls: {
    unsubscribe: number;
    resubscribe: number;
    savePreferences: PreferencesInput[];
    erase: number;
    signups: unknown[];
    channels: string[];
  };
  tokens: { unsubscribe: string; preferences: string };
  editions: Map<string, WebEdition>;
  archive: PublicArchive | null;
}

export function createStandInService(options: { newsletterTitle?: string; locale?: string } = {}): StandIn {
  const newsletter = { id: 'daily', title: options.newsletterTitle ?? 'Daily Brief' };
  const tokens = {
    unsubscribe: signSubscriberToken(
      { subscriberId: 7, newsletterId: 'daily', purpose: 'unsubscribe' },
      STAND_IN_SECRET,
    ),
    preferences: signSubscriberToken(
      { subscriberId: 7, newsletterId: 'daily', purpose: 'preferences' },
      STAND_IN_SECRET,
    ),
  };
  const check = (token: string) => {
    const claims = verifySubscriberToken(token, STAND_IN_SECRET);
    if (!claims) throw new TidingsError('TOKEN_INVALID', 'link not signed by this server');
    return claims;
  };
  let prefs: Omit<PreferencesView, 'maskedEmail' | 'newsletterId' | 'locales' | 'newsletters'> & {
    categories: string[] | null;
  } = {
    locale: options.locale ?? 'en',
    timezone: null,
    pausedUntil: null,
    categories: null,
  };
  const service: StandIn = {
    state: 'active',
    calls: { unsubscribe: 0, resubscribe: 0, savePreferences: [], erase: 0, signups: [], channels: [] },
    tokens,
    editions: new Map(),
    archive: null,
    async describeToken(token, purpose) {
      const claims = check(token);
      if (claims.purpose !== purpose) throw new TidingsError('TOKEN_INVALID', 'wrong purpose');
      return {
        purpose,
        newsletter,
        maskedEmail: 'r***@example.org',
        state: service.state,
        locale: prefs.locale ?? 'en',
        preferencesToken: tokens.preferences,
      };
    },
    async unsubscribe(token, options) {
      service.calls.channels.push(options?.channel ?? 'web');
      check(token);
      service.calls.unsubscribe++;
      const changed = service.state === 'active';
      service.state = 'unsubscribed';
      return {
        purpose: 'unsubscribe',
        newsletter,
        maskedEmail: 'r***@example.org',
        state: service.state,
        locale: prefs.locale ?? 'en',
        changed,
        preferencesToken: tokens.preferences,
      };
    },
    async resubscribe(token) {
      check(token);
      service.calls.resubscribe++;
      const changed = service.state !== 'active';
      service.state = 'active';
      return {
        purpose: 'unsubscribe',
        newsletter,
        maskedEmail: 'r***@example.org',
        state: service.state,
        locale: prefs.locale ?? 'en',
        changed,
        preferencesToken: tokens.preferences,
      };
    },
    async getPreferences(token) {
      check(token);
      return {
        maskedEmail: 'r***@example.org',
        newsletterId: 'daily',
        locale: prefs.locale,
        timezone: prefs.timezone,
        pausedUntil: prefs.pausedUntil,
        locales: ['de', 'en', 'fr', 'ru'],
        newsletters: [
          {
            ...newsletter,
            subscribed: service.state === 'active',
            allCategories: prefs.categories === null,
            categories: ['security', 'science'].map((slug) => ({
              slug,
              title: slug === 'security' ? 'Security' : 'Science',
              chosen: prefs.categories?.includes(slug) ?? false,
            })),
            cadence: null,
          },
        ],
      };
    },
    async savePreferences(token, input) {
      check(token);
      service.calls.savePreferences.push(input);
      const entry = input.newsletters.find((n) => n.id === 'daily');
      if (entry) {
        service.state = entry.subscribed ? 'active' : 'unsubscribed';
        prefs.categories = entry.categories;
      }
      // As the real service: a field the form did not send keeps its value.
      prefs = {
        ...prefs,
        locale: input.locale === undefined ? prefs.locale : input.locale,
        timezone: input.timezone === undefined ? prefs.timezone : input.timezone,
        pausedUntil: input.pausedUntil === undefined ? prefs.pausedUntil : input.pausedUntil,
      };
      return service.getPreferences(token);
    },
    async erase(token) {
      check(token);
      service.calls.erase++;
      return { maskedEmail: 'r***@example.org' };
    },
    async requestSignup(newsletterId, input) {
      service.calls.signups.push({ newsletterId, ...input });
      return { newsletter, maskedEmail: 'r***@example.org' };
    },
    async describeSignup(token) {
      if (token !== 'c0nfirm.t0ken') throw new TidingsError('TOKEN_INVALID', 'unknown confirmation');
      return { newsletter, maskedEmail: 'r***@example.org', changed: true, locale: 'en' };
    },
    async confirmSignup(token) {
      if (token !== 'c0nfirm.t0ken') throw new TidingsError('TOKEN_INVALID', 'unknown confirmation');
      return { newsletter, maskedEmail: 'r***@example.org', changed: true, locale: 'en' };
    },
    async editionForWeb(id) {
      const found = service.editions.get(id);
      if (!found) throw new TidingsError('NOT_FOUND', `no sent edition ${id}`);
      return found;
    },
    async publicArchive(id) {
      if (!service.archive || service.archive.newsletter.id !== id)
        throw new TidingsError('NOT_FOUND', 'archive not public');
      return service.archive;
    },
    unsubscribeByEmail: unused,
    forgetByEmail: unused,
    exportByEmail: unused,
    setCadenceByEmail: unused,
    listSuppressions: unused,
    addSuppression: unused,
    removeSuppression: unused,
    addByOperator: unused,
    processUnsubscribeMail: unused,
    async drain() {},
    sendQueuedMail() {},
  };
  return service;
}

async function unused(): Promise<never> {
  throw new Error('not used by the web pages');
}
