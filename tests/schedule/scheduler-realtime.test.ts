import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { appOperations } from '../../src/app/app-operations.ts';
import { systemClock } from '../../src/core/clock.ts';
import { runScheduler } from '../../src/schedule/run-scheduler.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

describe('node-cron triggers ticks in real time', () => {
  const tempDir = useTempDir('tidings-sched-');

  it('a six-field every-second schedule fires within seconds; many triggers, one edition, one message per reader; a stop releases the lease', async () => {
    const now = new Date();
    const ws = await createSchedulerWorkspace(tempDir(), {
      // The periodic tick is an hour away: every tick in this test comes from node-cron.
      newsletterYaml: `    schedule: "* * * * * *"\n    timezone: Asia/Kolkata\n    window: 24h\n`,
      extraYaml: 'scheduler:\n  tickEvery: 1h\n',
      readers: [{ email: 'ada@example.org' }, { email: 'bo@example.org' }],
      start: now.toISOString(),
    });
    ws.addArticles(new Date(now.getTime() - 20 * 3_600_000).toISOString(), now.toISOString(), 4);
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const triggers = () => lines.filter((line) => line.includes('"reason":"schedule of daily"')).length;
    const stop = new AbortController();
    const running = runScheduler({
      scheduler: ws.scheduler,
      lease: appOperations(ws.ctx).schedulerProcess.createLease(),
      clock: systemClock,
      logger,
      tickEveryMs: 3_600_000,
      signal: stop.signal,
    });
    try {
      const sentOne = async () => (await ws.ctx.store.editions.listEditions('daily')).some((e) => e.status === 'sent');
      // The first edition waits for a cold ingest (models load): wait for it, then for more triggers.
      for (let waited = 0; !(await sentOne()) && waited < 40_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const before = triggers();
      for (let waited = 0; triggers() < before + 3 && waited < 15_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(triggers()).toBeGreaterThanOrEqual(before + 3);
      expect(await ws.ctx.store.scheduler.getLease()).not.toBeNull();
    } finally {
      stop.abort();
    }
    expect(await running).toBe('stopped');
    expect(await ws.ctx.store.scheduler.getLease()).toBeNull();
    const editions = await ws.ctx.store.editions.listEditions('daily');
    const sent = editions.filter((e) => e.status === 'sent');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    for (const edition of sent) expect(ws.outboxFiles(edition.id)).toHaveLength(2);
    ws.close();
  }, 90_000);
});
