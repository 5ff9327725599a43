import { readerNewsletters } from '../../config/cadences.ts';
import type { NewsletterConfig } from '../../config/schema.ts';
import { addLinkToDraft, type AddLinkInput, type AddLinkResult } from '../add-link-to-draft.ts';
import { clickOperationsFromContext, type ClickOperations } from '../clicks/click-operations.ts';
import type { AppContext } from '../context.ts';
import type { SubscriberService } from '../subscribers/subscriber-service.ts';
import { ApiAccess } from './api-access.ts';
import { ApiContent } from './api-content.ts';
import { ApiEditions } from './api-editions.ts';
import { ApiSubscribers } from './api-subscribers.ts';

export interface NewsletterView {
  id: string;
  title: string;
  description: string;
  categories: string[];
  locale: string;
  timezone: string;
  schedule: string | null;
  signup: boolean;
  public: boolean;
  requireApproval: boolean;
  /** The cadences a reader may choose, the default first; null when there is no choice. */
  cadences: string[] | null;
}

/** Everything the JSON API calls: the app operations the desk and the CLI use, grouped by resource. */
export interface ApiOperations {
  access: ApiAccess;
  subscribers: ApiSubscribers;
  /** Suppressions are the subscriber service's own (`tidings suppressions`). */
  suppressions: Pick<SubscriberService, 'listSuppressions' | 'addSuppression' | 'removeSuppression'>;
  newsletters(): NewsletterView[];
  editions: ApiEditions;
  content: ApiContent;
  /** "Add this link" into a draft (the desk's form, `tidings edition add-url`). */
  addLink(input: AddLinkInput): Promise<AddLinkResult>;
  /** Aggregate click reports (the desk's /desk/clicks, /metrics). */
  clicks: ClickOperations;
  /** Waits for sends the API started (server shutdown, tests). */
  drain(): Promise<void>;
}

/** The composition root's one place that builds the API's operations from the context. */
export function createApiOperations(ctx: AppContext, service: SubscriberService): ApiOperations {
  const editions = new ApiEditions(ctx);
  return {
    access: new ApiAccess(ctx.store.api, ctx.clock),
    subscribers: new ApiSubscribers(ctx, service),
    suppressions: service,
    // Readers' newsletters: a cadence stream (`world.weekly`) shows as a cadence of its newsletter.
    newsletters: () => readerNewsletters(ctx.config.newsletters).map(newsletterView),
    editions,
    content: new ApiContent(ctx),
    addLink: (input) => addLinkToDraft(ctx, input),
    clicks: clickOperationsFromContext(ctx),
    drain: () => editions.drain(),
  };
}

function newsletterView(n: NewsletterConfig): NewsletterView {
  return {
    id: n.id,
    title: n.title,
    description: n.description ?? '',
    categories: [...n.categories],
    locale: n.locale,
    timezone: n.timezone,
    schedule: n.schedule ?? null,
    signup: Boolean(n.signup),
    public: Boolean(n.public),
    requireApproval: Boolean(n.requireApproval),
    cadences: n.cadence && n.cadence.offered.length > 1 ? [...n.cadence.offered] : null,
  };
}
