import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace } from '../schedule/support/scheduler-workspace.ts';

describe('webhook events from the scheduler', () => {
  const tempDir = useTempDir('tidings-webhook-sched-');

  it('queues edition.prepared and edition.sent for a slot it serves, and edition.missed for slots an outage cost', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: '    schedule: "0 7 * * *"\n    timezone: UTC\n    window: since-last\n    catchUp: 1h\n',
      readers: [{ email: 'ada@example.org' }],
      start: '2026-11-30T06:00:00Z',
      extraYaml:
        'webhooks:\n  endpoints:\n    - name: ops\n      url: https://hooks.example.org/tidings\n      events: [edition.prepared, edition.sent, edition.missed, edition.skipped]\n      secretEnv: OPS_WEBHOOK_SECRET\n',
    });
    try {
      ws.addArticles('2026-11-29T09:00:00Z', '2026-12-04T06:00:00Z', 6);
      await ws.runUntil('2026-11-30T08:00:00Z');
      // Down from Monday 08:00 until Wednesday 08:30: Tuesday's and Wednesday's slots are missed.
      ws.clock.set('2026-12-02T08:30:00Z');
      await ws.restart();
      await ws.runUntil('2026-12-02T08:30:00Z');
      const rows = await ws.ctx.store.webhooks.list({ limit: 20 });
      const events = rows.reverse().map((row) => {
        const body = JSON.parse(row.payload) as { type: string; data: { edition: string; reason: string | null } };
        return `${body.type} ${body.data.edition}`;
      });
      expect(events).toEqual([
        'edition.prepared daily/2026-11-30T07:00',
        'edition.sent daily/2026-11-30T07:00',
        'edition.missed daily/2026-12-01T07:00',
        'edition.missed daily/2026-12-02T07:00',
      ]);
      expect(JSON.parse(rows.at(-1)!.payload).data.reason).toMatch(/^missed: .*catchUp/);
    } finally {
      await ws.close();
    }
  });
});
