import type { AppContext } from '../../app/context.ts';
import { deliverWebhooks, listWebhookDeliveries, retryWebhookDeliveries } from '../../app/webhooks.ts';
import { UsageError } from '../../core/errors.ts';
import type { WebhookDeliveryStatus } from '../../webhooks/webhook-queue.ts';
import { escapeControlCharacters as terminalText } from '../terminal-text.ts';

const STATUSES: readonly WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];

export async function runWebhooksList(ctx: AppContext, options: { status?: string; limit: string }): Promise<number> {
  const status = options.status as WebhookDeliveryStatus | undefined;
  if (status && !STATUSES.includes(status))
    throw new UsageError(`--status: one of ${STATUSES.join(', ')} (got "${options.status}")`);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit: a positive whole number (got "${options.limit}")`);
  const rows = await listWebhookDeliveries(ctx, { status, limit });
  if (rows.length === 0) ctx.out(status ? `no ${status} webhook deliveries` : 'no webhook deliveries');
  for (const row of rows) {
    const when =
      row.status === 'delivered'
        ? `delivered ${row.deliveredAt?.toISOString()}`
        : row.status === 'pending'
          ? `next ${row.nextAttemptAt.toISOString()}`
          : 'gave up';
    const error = row.lastError ? ` — ${terminalText(row.lastError)}` : '';
    ctx.out(
      `${row.id}  ${row.status}  ${row.attempts} attempt(s)  ${terminalText(row.endpoint)}  ${row.eventType}  ${row.eventId}  ${when}${error}`,
    );
  }
  return 0;
}

export async function runWebhooksRetry(ctx: AppContext, ids: string[], options: { all?: boolean }): Promise<number> {
  if (options.all === ids.length > 0) throw new UsageError('name the delivery ids to retry, or --all (not both)');
  const numbers = ids.map((id) => {
    const number = Number(id);
    if (!Number.isInteger(number) || number < 1) throw new UsageError(`not a delivery id: "${id}"`);
    return number;
  });
  const count = await retryWebhookDeliveries(ctx, options.all ? undefined : numbers);
  ctx.out(`${count} failed webhook deliver${count === 1 ? 'y' : 'ies'} queued again`);
  return 0;
}

export async function runWebhooksDeliver(ctx: AppContext, untilIdle: boolean, signal: AbortSignal): Promise<number> {
  if (ctx.config.webhooks.endpoints.length === 0) {
    ctx.out('no webhooks.endpoints configured: nothing to deliver');
    return 0;
  }
  const report = await deliverWebhooks(ctx, { untilIdle, signal });
  ctx.out(
    `webhooks: ${report.delivered} delivered, ${report.retrying} to retry, ${report.failed} failed for good, ${report.pending} pending`,
  );
  return report.failed > 0 ? 1 : 0;
}
