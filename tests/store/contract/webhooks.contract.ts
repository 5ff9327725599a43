import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import type { NewWebhookDelivery } from '../../../src/webhooks/webhook-queue.ts';

/** One store seen by two processes (two connections), as two dispatchers would. */
export interface TwoViews {
  store: Store;
  other: Store;
  close(): Promise<void>;
}

const T0 = new Date('2026-12-07T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const row = (eventId: string, endpoint = 'crm', when = T0): NewWebhookDelivery => ({
  eventId,
  eventType: 'edition.sent',
  endpoint,
  payload: JSON.stringify({ type: 'edition.sent', id: eventId }),
  at: when,
});

/** The webhook queue (src/webhooks/webhook-queue.ts): at-least-once rows, claimed by one dispatcher at a time. */
export function webhookQueueContract(name: string, open: () => Promise<TwoViews>): void {
  describe(`${name}: webhook queue`, () => {
    let opened: TwoViews | undefined;
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    it('queues an event once per endpoint, however often it is fired', async () => {
      opened = await open();
      const queue = opened.store.webhooks;
      expect(await queue.enqueue([row('msg_a'), row('msg_a', 'chat')])).toBe(2);
      expect(await queue.enqueue([row('msg_a'), row('msg_b')])).toBe(1);
      expect(await opened.other.webhooks.enqueue([row('msg_b', 'chat')])).toBe(1);
      const listed = await queue.list({ limit: 10 });
      expect(listed.map((r) => `${r.eventId}>${r.endpoint}`)).toEqual([
        'msg_b>chat',
        'msg_b>crm',
        'msg_a>chat',
        'msg_a>crm',
      ]);
      expect(listed[3]).toMatchObject({ status: 'pending', attempts: 0, lastError: null, deliveredAt: null });
      expect(listed[3]!.nextAttemptAt.toISOString()).toBe(T0.toISOString());
      expect(await queue.counts()).toEqual({ pending: 4, delivered: 0, failed: 0, failedAttempts: 0 });
    });

    it('gives each due row to one dispatcher until its claim runs out', async () => {
      opened = await open();
      const { webhooks: one } = opened.store;
      const { webhooks: two } = opened.other;
      await one.enqueue([row('msg_1'), row('msg_2'), row('msg_3'), row('msg_later', 'crm', at(60))]);
      const [first, second] = await Promise.all([
        one.claim({ holder: 'one', at: at(1), leaseMs: 30_000, limit: 2 }),
        two.claim({ holder: 'two', at: at(1), leaseMs: 30_000, limit: 2 }),
      ]);
      const ids = [...first!, ...second!].map((r) => r.eventId).sort();
      // Three rows are due; the fourth is not due before 60 s. No row is handed out twice.
      expect(ids).toEqual(['msg_1', 'msg_2', 'msg_3']);
      expect(await two.claim({ holder: 'two', at: at(2), leaseMs: 30_000, limit: 5 })).toEqual([]);
      // The claims run out at 31 s: a dispatcher that died leaves its rows to another one.
      const retaken = await two.claim({ holder: 'two', at: at(31), leaseMs: 30_000, limit: 5 });
      expect(retaken.map((r) => r.eventId).sort()).toEqual(['msg_1', 'msg_2', 'msg_3']);
      const lost = [...first!, ...second!][0]!;
      // Its first holder lost the row: a late answer changes nothing.
      expect(await one.markDelivered(lost.id, first!.includes(lost) ? 'one' : 'two', at(32))).toBe(false);
      expect(await two.markDelivered(lost.id, 'two', at(32))).toBe(true);
      expect(await two.markDelivered(lost.id, 'two', at(33))).toBe(false);
      // The other rows are still claimed until 61 s.
      const later = await one.claim({ holder: 'one', at: at(60), leaseMs: 30_000, limit: 5 });
      expect(later.map((r) => r.eventId)).toEqual(['msg_later']);
    });

    it('puts a failed attempt back for later, gives up when told, and retries failed rows on demand', async () => {
      opened = await open();
      const queue = opened.store.webhooks;
      await queue.enqueue([row('msg_x'), row('msg_y')]);
      const [x, y] = await queue.claim({ holder: 'd', at: at(0), leaseMs: 30_000, limit: 5 });
      expect(await queue.markAttemptFailed(x!.id, 'd', 'HTTP 500 Internal Server Error', at(15), at(0))).toBe(true);
      expect(await queue.markAttemptFailed(y!.id, 'd', 'HTTP 410 Gone', null, at(0))).toBe(true);
      expect(await queue.claim({ holder: 'd', at: at(14), leaseMs: 30_000, limit: 5 })).toEqual([]);
      const again = await queue.claim({ holder: 'd', at: at(15), leaseMs: 30_000, limit: 5 });
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ eventId: 'msg_x', attempts: 1, lastError: 'HTTP 500 Internal Server Error' });
      expect(await queue.markDelivered(again[0]!.id, 'd', at(16))).toBe(true);
      const failed = await queue.list({ status: 'failed', limit: 10 });
      expect(failed.map((r) => [r.eventId, r.attempts, r.lastError])).toEqual([['msg_y', 1, 'HTTP 410 Gone']]);
      const delivered = (await queue.list({ status: 'delivered', limit: 10 }))[0]!;
      expect(delivered).toMatchObject({ eventId: 'msg_x', attempts: 2, lastError: null });
      expect(delivered.deliveredAt?.toISOString()).toBe(at(16).toISOString());
      expect(await queue.counts()).toEqual({ pending: 0, delivered: 1, failed: 1, failedAttempts: 2 });

      expect(await queue.retry(at(100), [delivered.id])).toBe(0);
      expect(await queue.retry(at(100))).toBe(1);
      const back = await queue.claim({ holder: 'd', at: at(100), leaseMs: 30_000, limit: 5 });
      expect(back.map((r) => [r.eventId, r.status, r.retryFrom.toISOString()])).toEqual([
        ['msg_y', 'pending', at(100).toISOString()],
      ]);
      expect(await queue.counts()).toMatchObject({ pending: 1, failed: 0 });
    });
  });
}
