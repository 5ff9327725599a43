import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { isSchedulerHolderGone } from '../../src/app/scheduler-process.ts';
import { LeaseHeldError, SchedulerLease, schedulerHolderName } from '../../src/schedule/scheduler-lease.ts';
import { Scheduler, type SchedulerWork } from '../../src/schedule/scheduler.ts';
import { createLogger } from '../../src/core/logger.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import path from 'node:path';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

describe('one scheduler per store', () => {
  const tempDir = useTempDir('tidings-sched-');

  it('a second scheduler is refused while the first heartbeats; a crashed one frees the store within a minute', async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const first = openSqliteStore(file);
    const second = openSqliteStore(file);
    try {
      const clock = createFixedClock('2026-11-30T06:00:00Z');
      const a = new SchedulerLease(first.scheduler, 'host-a:1', 45_000);
      const b = new SchedulerLease(second.scheduler, 'host-b:2', 45_000);
      await a.acquire(clock.now());
      await expect(b.acquire(clock.now())).rejects.toThrow(LeaseHeldError);
      await expect(b.acquire(clock.now())).rejects.toThrow(
        /another scheduler \(host-a:1\).*expires at 2026-11-30T06:00:45\.000Z/,
      );
      // Heartbeats keep it: five minutes later it is still a's.
      for (let i = 0; i < 20; i++) {
        clock.advance(15_000);
        expect(await a.heartbeat(clock.now())).toBe(true);
        await expect(b.acquire(clock.now())).rejects.toThrow(LeaseHeldError);
      }
      // a crashes (no more heartbeats): 45 seconds later b takes over, and a learns it lost the lease.
      clock.advance(44_000);
      await expect(b.acquire(clock.now())).rejects.toThrow(LeaseHeldError);
      clock.advance(1_000);
      await b.acquire(clock.now());
      expect(await a.heartbeat(clock.now())).toBe(false);
      expect((await second.scheduler.getLease())!.holder).toBe('host-b:2');
      // A clean stop releases at once.
      await b.release();
      await a.acquire(clock.now());
    } finally {
      first.close();
      second.close();
    }
  });

  it("a lease left by a dead process of this machine is taken over at once; another machine's is refused until it expires, saying when", async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const store = openSqliteStore(file);
    try {
      const clock = createFixedClock('2026-11-30T06:00:00Z');
      // A real process of this machine that has exited: its pid no longer exists.
      const child = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => child.on('exit', resolve));
      const dead = schedulerHolderName(hostname(), child.pid!, 'dead0001');
      await store.scheduler.acquireLease(dead, clock.now(), 45_000);
      const restart = new SchedulerLease(
        store.scheduler,
        schedulerHolderName(hostname(), process.pid, 'new00001'),
        45_000,
        { isHolderGone: isSchedulerHolderGone },
      );
      clock.advance(1_000);
      await restart.acquire(clock.now());
      expect((await store.scheduler.getLease())!.holder).toBe(restart.holder);

      // A live scheduler of this machine (this very process) and one of another machine are never taken over early.
      const again = new SchedulerLease(
        store.scheduler,
        schedulerHolderName(hostname(), process.pid, 'other002'),
        45_000,
        { isHolderGone: isSchedulerHolderGone },
      );
      await expect(again.acquire(clock.now())).rejects.toThrow(LeaseHeldError);
      await restart.release();
      await store.scheduler.acquireLease(
        schedulerHolderName('elsewhere.example', child.pid!, 'remote01'),
        clock.now(),
        45_000,
      );
      clock.advance(15_000);
      await expect(again.acquire(clock.now())).rejects.toThrow(
        /\(elsewhere\.example:\d+:remote01\).*expires at 2026-11-30T06:00:46\.000Z \(in 30 s\)/,
      );
    } finally {
      store.close();
    }
  });

  it('tidings schedule exits 2 with a clear message while another scheduler holds the store', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n`,
      readers: [{ email: 'ada@example.org' }],
      start: '2026-11-30T06:00:00Z',
    });
    try {
      await ws.ctx.store.scheduler.acquireLease('other-host:99', new Date('2026-11-30T06:00:00Z'), 45_000);
      const refused = await runCli(['-q', '-c', ws.configFile, 'schedule'], {}, '2026-11-30T06:00:20Z');
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/another scheduler \(other-host:99\) runs on this store.*only one may run/);
    } finally {
      ws.close();
    }
  });

  it('a tick for a newsletter still sending waits and says why; the next tick after the send does nothing twice', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n`,
      readers: [{ email: 'ada@example.org' }, { email: 'bo@example.org' }],
      start: '2026-11-30T07:00:00Z',
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-11-30T06:00:00Z', 4);
      const { createScheduledWork } = await import('../../src/app/scheduled-work.ts');
      const { runIngest } = await import('../../src/cli/commands/ingest.ts');
      const real = createScheduledWork(ws.ctx, async () => void (await runIngest(ws.ctx, {})));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const work: SchedulerWork = {
        ...real,
        send: async (...args) => {
          await gate;
          return real.send(...args);
        },
      };
      const logged: string[] = [];
      const logger = createLogger({ level: 'info' });
      const scheduler = new Scheduler({
        newsletters: ws.ctx.config.newsletters,
        editions: ws.ctx.store.editions,
        store: ws.ctx.store.scheduler,
        work,
        logger: Object.assign(Object.create(logger), {
          info: (_: unknown, message?: string) => void logged.push(String(message ?? _)),
        }),
        maxLateness: ws.ctx.config.delivery.maxLateness,
      });
      const sending = scheduler.tick(ws.clock.now());
      await new Promise((resolve) => setTimeout(resolve, 200));
      ws.clock.advance(60_000);
      const second = await scheduler.tick(ws.clock.now());
      expect(second.busy).toEqual(['daily']);
      expect(logged.some((line) => /still running \(sending\): this tick waits/.test(line))).toBe(true);
      release();
      const first = await sending;
      expect(first.actions.map((a) => a.action)).toEqual(['prepared', 'sent']);
      const third = await scheduler.tick(ws.clock.now());
      expect(third.actions).toEqual([]);
      expect(ws.outboxFiles('daily/2026-11-30T07:00')).toHaveLength(2);
    } finally {
      ws.close();
    }
  });

  it('a tick whose edition another process is sending (a hand-run tidings send) waits for it, then sends once', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n`,
      readers: [{ email: 'ada@example.org' }, { email: 'bo@example.org' }],
      start: '2026-11-30T07:00:00Z',
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-11-30T06:00:00Z', 4);
      const { createScheduledWork } = await import('../../src/app/scheduled-work.ts');
      const { runIngest } = await import('../../src/cli/commands/ingest.ts');
      const work = createScheduledWork(ws.ctx, async () => void (await runIngest(ws.ctx, {})));
      const logged: string[] = [];
      const logger = createLogger({ level: 'info' });
      const scheduler = new Scheduler({
        newsletters: ws.ctx.config.newsletters,
        editions: ws.ctx.store.editions,
        store: ws.ctx.store.scheduler,
        work,
        logger: Object.assign(Object.create(logger), {
          info: (_: unknown, message?: string) => void logged.push(String(message ?? _)),
        }),
        maxLateness: ws.ctx.config.delivery.maxLateness,
      });
      // Another process holds the send lease of this slot's edition, as a running `tidings send` does.
      const other = { holder: 'ops-laptop pid 4242 run abcd', host: 'ops-laptop', pid: 4242 };
      const held = await ws.ctx.store.sendLease.acquire('daily/2026-11-30T07:00', other, ws.clock.now(), 60_000);
      expect(held).toMatchObject({ acquired: true });
      const first = await scheduler.tick(ws.clock.now());
      expect(first.busy).toEqual(['daily']);
      expect(logged.some((line) => /another process is sending this edition: this tick waits/.test(line))).toBe(true);
      expect(ws.outboxFiles('daily/2026-11-30T07:00')).toHaveLength(0);
      await ws.ctx.store.sendLease.release('daily/2026-11-30T07:00', other.holder);
      ws.clock.advance(60_000);
      const second = await scheduler.tick(ws.clock.now());
      expect(second.actions.map((a) => a.action)).toContain('sent');
      expect(ws.outboxFiles('daily/2026-11-30T07:00')).toHaveLength(2);
    } finally {
      ws.close();
    }
  });
});
