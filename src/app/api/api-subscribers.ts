import { TidingsError } from '../../core/errors.ts';
import { signSubscriberToken } from '../../delivery/subscriber-token.ts';
import type { SubscriberRecord, Subscription } from '../../subscribers/subscriber-store.ts';
import type { AppContext } from '../context.ts';
import { cadenceState, checkCadence, type CadenceState } from '../subscribers/reader-cadence.ts';
import { readerNewsletters } from '../../config/cadences.ts';
import type {
  OperatorAddResult,
  PreferencesInput,
  SignupInput,
  SubscriberExport,
  SubscriberService,
} from '../subscribers/subscriber-service.ts';

/** A page of subscribers and the cursor of the next (null on the last page). */
export interface SubscriberPage {
  items: SubscriberRecord[];
  next: number | null;
}

export interface SubscriberQuery {
  newsletter?: string;
  /** Part of the address or name, any case. */
  q?: string;
  /** The `next` of the previous page. */
  after?: number;
  limit: number;
}

/** The fields an operator may change: the same ones the reader's preferences page offers. */
export interface SubscriberUpdate {
  /** Whose categories `categories` sets (default: the subscriber's first subscription). */
  newsletter?: string;
  categories?: string[] | null;
  /** One of the newsletter's cadences: from the reader's next period, as on the preferences page. */
  cadence?: string;
  locale?: string | null;
  timezone?: string | null;
  pausedUntil?: string | null;
}

/** Pages read while searching: a search scans the list in id order, this many rows at a time. */
const SCAN_PAGE = 500;

/**
 * The subscriber operations of the JSON API. Each is the CLI's or the reader's own
 * operation on the subscriber service, reached by id: changes go through the
 * preferences path (a preferences token signed here), removals through the operator
 * commands, so the rules (who decides what, erasure, suppression) stay in one place.
 */
export class ApiSubscribers {
  constructor(
    private readonly ctx: Pick<AppContext, 'store' | 'config' | 'clock'>,
    private readonly service: SubscriberService,
  ) {}

  async list(query: SubscriberQuery): Promise<SubscriberPage> {
    if (query.newsletter) this.#newsletter(query.newsletter);
    const needle = query.q?.trim().toLowerCase();
    const items: SubscriberRecord[] = [];
    let afterId = query.after ?? 0;
    for (;;) {
      const size = needle ? SCAN_PAGE : query.limit + 1;
      const page = await this.ctx.store.subscribers.list({ newsletterId: query.newsletter, afterId, limit: size });
      for (const subscriber of page) {
        if (needle && !matches(subscriber, needle)) {
          afterId = subscriber.id;
          continue;
        }
        if (items.length === query.limit) return { items, next: items.at(-1)!.id };
        items.push(subscriber);
        afterId = subscriber.id;
      }
      if (page.length < size) return { items, next: null };
    }
  }

  async get(id: number): Promise<SubscriberRecord> {
    const subscriber = await this.ctx.store.subscribers.getById(id);
    if (!subscriber || subscriber.status === 'erased') throw new TidingsError('NOT_FOUND', `no subscriber ${id}`);
    return subscriber;
  }

  add(newsletterId: string, input: SignupInput, confirmed: boolean, by: string): Promise<OperatorAddResult> {
    return this.service.addByOperator(newsletterId, input, { confirmed, by });
  }

  /** Categories, locale, time zone and pause, as the reader's preferences page stores them. */
  async update(id: number, change: SubscriberUpdate): Promise<SubscriberRecord> {
    const subscriber = await this.get(id);
    const newsletterId = change.newsletter ?? subscriber.subscriptions[0]?.newsletterId;
    if (!newsletterId) throw new TidingsError('INPUT_INVALID', 'this subscriber has no subscription', { where: 'id' });
    this.#newsletter(newsletterId);
    const subscription = subscriber.subscriptions.find((s) => s.newsletterId === newsletterId);
    if (!subscription && (change.categories !== undefined || change.cadence !== undefined))
      throw new TidingsError('INPUT_INVALID', `not a subscriber of ${newsletterId}`, { where: 'newsletter' });
    if (change.cadence !== undefined) checkCadence(this.ctx.config, newsletterId, change.cadence, 'cadence');
    const touched = change.categories !== undefined || change.cadence !== undefined;
    const input: PreferencesInput = {
      newsletters: touched
        ? [
            {
              id: newsletterId,
              subscribed: subscription?.status === 'active',
              // Categories not sent stay as stored.
              categories: change.categories === undefined ? (subscription?.categories ?? null) : change.categories,
              ...(change.cadence === undefined ? {} : { cadence: change.cadence }),
            },
          ]
        : [],
      locale: change.locale,
      timezone: change.timezone,
      pausedUntil: change.pausedUntil,
    };
    const token = signSubscriberToken(
      { subscriberId: id, newsletterId, purpose: 'preferences' },
      this.ctx.config.web.secret!,
    );
    await this.service.savePreferences(token, input);
    return this.get(id);
  }

  /** The newsletters whose subscription ended (all, or the one named). */
  async unsubscribe(id: number, newsletterId?: string): Promise<string[]> {
    return this.service.unsubscribeByEmail((await this.get(id)).email, newsletterId);
  }

  async erase(id: number): Promise<boolean> {
    return this.service.forgetByEmail((await this.get(id)).email);
  }

  async export(id: number): Promise<SubscriberExport> {
    return this.service.exportByEmail((await this.get(id)).email);
  }

  /** A subscription's cadence now (and a change waiting); null when its newsletter offers no choice. */
  cadence(subscription: Subscription): CadenceState | null {
    return cadenceState(this.ctx.config, subscription.newsletterId, subscription, this.ctx.clock.now());
  }

  /** A newsletter readers subscribe to (a cadence stream such as `world.weekly` is not one). */
  #newsletter(id: string): void {
    if (!readerNewsletters(this.ctx.config.newsletters).some((n) => n.id === id))
      throw new TidingsError('NOT_FOUND', `no newsletter "${id}"`);
  }
}

function matches(subscriber: SubscriberRecord, needle: string): boolean {
  return subscriber.email.toLowerCase().includes(needle) || (subscriber.name?.toLowerCase().includes(needle) ?? false);
}
