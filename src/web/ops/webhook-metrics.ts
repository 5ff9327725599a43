import { Counter, Gauge, type Registry } from 'prom-client';
import type { WebhookQueue } from '../../webhooks/webhook-queue.ts';

/**
 * The webhook queue on /metrics, read from the store at each scrape (right after a
 * restart too): deliveries by outcome (a counter), and the rows waiting or given up.
 */
export function registerWebhookMetrics(registers: Registry[], queue: Pick<WebhookQueue, 'counts'>): void {
  new Counter({
    name: 'tidings_webhook_deliveries_total',
    help: 'Webhook attempts by outcome: delivered (2xx), error (an attempt that failed), failed (given up after the retry window).',
    labelNames: ['outcome'],
    registers,
    async collect() {
      const counts = await queue.counts();
      this.reset();
      this.inc({ outcome: 'delivered' }, counts.delivered);
      this.inc({ outcome: 'error' }, counts.failedAttempts);
      this.inc({ outcome: 'failed' }, counts.failed);
    },
  });
  new Gauge({
    name: 'tidings_webhooks_pending',
    help: 'Webhook deliveries waiting for their first attempt or a retry.',
    registers,
    async collect() {
      this.set((await queue.counts()).pending);
    },
  });
  new Gauge({
    name: 'tidings_webhooks_failed',
    help: 'Webhook deliveries given up (tidings webhooks retry puts them back).',
    registers,
    async collect() {
      this.set((await queue.counts()).failed);
    },
  });
}
