import type { SendEditionDeps } from '../delivery/send-types.ts';
import type { Recipient } from '../subscribers/subscriber-store.ts';
import type { AppContext } from './context.ts';
import type { EditionPipeline } from './edition-pipeline.ts';
import { editionMessageComposer } from './edition-messages.ts';

export type EditionSendHooks = Pick<
  SendEditionDeps<Recipient>,
  'plan' | 'preparePage' | 'composeMessage' | 'links' | 'onPermanentRejection' | 'onAccepted'
>;

/**
 * What the delivery engine needs to know about one edition, the same for `tidings send`
 * (src/app/run-send.ts) and `tidings worker` (src/app/run-worker-from-context.ts): how a
 * reader's segment is planned and rendered, how a message is composed (edition-messages.ts,
 * the path a test copy takes too), and what a permanent rejection or an acceptance does
 * to the subscriber.
 */
export function editionSendHooks(
  ctx: AppContext,
  pipeline: EditionPipeline,
  secret: string,
  transport: { readonly eightBitMime?: boolean } | null,
): EditionSendHooks {
  const { edition, newsletter } = pipeline;
  const itemIds = edition.articles.map((a) => a.articleId);
  // What each reader of the current page already received in other editions, read once per
  // page. A reader not found here (a page read before another began) is read on their own.
  let pageReceived = new Map<number, Set<string>>();
  return {
    preparePage: async (recipients) => {
      pageReceived = await ctx.store.ledger.receivedArticleIdsOfMany(
        recipients.map((r) => r.id),
        itemIds,
        edition.id,
      );
    },
    plan: async (recipient) => {
      const received =
        pageReceived.get(recipient.id) ??
        (await ctx.store.ledger.receivedArticleIds(recipient.id, itemIds, edition.id));
      const plan = pipeline.plan(recipient, received);
      if ('skip' in plan) return plan;
      return { segmentKey: plan.segmentKey, articleIds: plan.articleIds, render: () => pipeline.render(plan) };
    },
    composeMessage: editionMessageComposer(ctx, newsletter, secret, transport),
    links: pipeline.links(secret),
    onPermanentRejection: async (recipient) => {
      const { bounced } = await ctx.store.subscribers.recordHardBounce(
        recipient.id,
        ctx.clock.now(),
        ctx.config.delivery.bounceAfter,
      );
      if (bounced)
        ctx.logger.warn(
          { subscriber: recipient.email },
          'marked bounced: rejected permanently too many times in a row',
        );
    },
    // With a return path, bounces come back after the relay accepted the message: an
    // acceptance says nothing about the mailbox, and resetting here would erase every
    // streak before its next bounce arrives (tidings bounces process counts them).
    // A reader without a streak when the page was read needs no write (one statement per message saved);
    // a bounce recorded since is reset by their next acceptance instead.
    onAccepted: ctx.config.transport.returnPath
      ? undefined
      : async (recipient) => {
          if (recipient.hardBounces !== 0) await ctx.store.subscribers.resetBounces(recipient.id);
        },
  };
}
