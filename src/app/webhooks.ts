import { abortableSleep } from '../core/abortable-sleep.ts';
import { describeError } from '../core/errors.ts';
import {
  deliverDueWebhooks,
  dispatcherHolder,
  resolveWebhookEndpoints,
  type DispatchReport,
  type WebhookDispatcherDeps,
} from '../webhooks/webhook-dispatcher.ts';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookQueueCounts } from '../webhooks/webhook-queue.ts';
import type { AppContext } from './context.ts';

/**
 * The webhook operations the entry points call: the dispatcher of `tidings start` and
 * `tidings webhooks deliver`, and what `tidings webhooks list|retry`, `status`, the desk
 * and /metrics read.
 */
function dispatcherFor(ctx: AppContext): WebhookDispatcherDeps {
  const { endpoints, timeout, retryFor } = ctx.config.webhooks;
  return {
    queue: ctx.store.webhooks,
    endpoints: resolveWebhookEndpoints(endpoints, ctx.env, ctx.configFile),
    http: ctx.http,
    clock: ctx.clock,
    logger: ctx.logger,
    settings: { timeout, retryFor },
    holder: dispatcherHolder(),
  };
}

/** `tidings webhooks deliver`: posts what is due now, once; with `untilIdle`, until nothing is pending. */
export async function deliverWebhooks(
  ctx: AppContext,
  options: { untilIdle: boolean; signal: AbortSignal },
): Promise<DispatchReport & { pending: number }> {
  const deps = dispatcherFor(ctx);
  const total: DispatchReport = { delivered: 0, retrying: 0, failed: 0 };
  for (;;) {
    const report = await deliverDueWebhooks(deps, options.signal);
    total.delivered += report.delivered;
    total.retrying += report.retrying;
    total.failed += report.failed;
    const { pending } = await ctx.store.webhooks.counts();
    if (!options.untilIdle || pending === 0 || options.signal.aborted) return { ...total, pending };
    await abortableSleep(ctx.config.webhooks.every, options.signal);
  }
}

/**
 * The dispatcher inside `tidings start`: every `webhooks.every`, posts what is due. A
 * store or network failure is logged and tried again at the next round; a stop ends it.
 * Null without endpoints. The secrets are checked here, before anything starts, so a
 * missing one stops `tidings start` at once (exit 2).
 */
export function prepareWebhookDispatcher(ctx: AppContext): ((signal: AbortSignal) => Promise<void>) | null {
  if (ctx.config.webhooks.endpoints.length === 0) return null;
  const deps = dispatcherFor(ctx);
  return async (signal) => {
    while (!signal.aborted) {
      try {
        await deliverDueWebhooks(deps, signal);
      } catch (error) {
        ctx.logger.warn({ error: describeError(error) }, 'webhook delivery round failed');
      }
      await abortableSleep(ctx.config.webhooks.every, signal);
    }
  };
}

export function listWebhookDeliveries(
  ctx: AppContext,
  options: { status?: WebhookDeliveryStatus; limit: number },
): Promise<WebhookDelivery[]> {
  return ctx.store.webhooks.list(options);
}

/** Failed deliveries (all, or these ids) go back to the queue with a fresh day of retries. */
export function retryWebhookDeliveries(ctx: AppContext, ids?: readonly number[]): Promise<number> {
  return ctx.store.webhooks.retry(ctx.clock.now(), ids);
}

export function webhookCounts(ctx: Pick<AppContext, 'store'>): Promise<WebhookQueueCounts> {
  return ctx.store.webhooks.counts();
}
