import { UsageError } from '../core/errors.ts';
import type { DigestReader } from '../editions/plan-digest.ts';
import type { AppContext } from './context.ts';
import type { EditionPipeline } from './edition-pipeline.ts';

export interface PreviewReader extends DigestReader {
  id: number | null;
  email: string;
  name: string | null;
  firstName?: string | null;
  /** Articles this reader already received (never seen twice). */
  received: ReadonlySet<string>;
}

/** A named subscriber (`--subscriber EMAIL`) or a sample reader who chose every category. */
export async function resolveReader(
  ctx: AppContext,
  pipeline: EditionPipeline,
  email: string | undefined,
): Promise<PreviewReader> {
  if (!email) {
    return {
      id: null,
      email: 'reader@example.org',
      name: null,
      locale: null,
      timezone: null,
      categories: null,
      received: new Set(),
    };
  }
  const subscriber = await ctx.store.subscribers.findByEmail(email);
  if (!subscriber)
    throw new UsageError(`--subscriber: no subscriber ${email} in the store (run: tidings subscribers sync)`);
  const subscription = subscriber.subscriptions.find((s) => s.newsletterId === pipeline.newsletter.id);
  if (!subscription) throw new UsageError(`--subscriber: ${email} is not subscribed to ${pipeline.newsletter.id}`);
  const articleIds = pipeline.edition.articles.map((a) => a.articleId);
  // Received in an earlier edition; this one's own accepted delivery does not hide its articles.
  const received = await ctx.store.ledger.receivedArticleIds(subscriber.id, articleIds, pipeline.edition.id);
  return {
    id: subscriber.id,
    email: subscriber.email,
    name: subscriber.name,
    firstName: subscriber.firstName,
    languages: subscriber.languages,
    locale: subscriber.locale,
    timezone: subscriber.timezone,
    categories: subscription.categories,
    received,
  };
}
