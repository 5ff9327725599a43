import { describe, expect, it } from 'vitest';
import type { OpenPorts } from './backends.ts';
import { usePorts } from './seed.ts';

const T0 = new Date('2026-11-30T06:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The SchedulerStore port (src/schedule/scheduler-store.ts). */
export function schedulerStoreContract(name: string, open: OpenPorts): void {
  describe(`${name}: SchedulerStore contract`, () => {
    const ports = usePorts(open);

    it('keeps one scheduler per store: free, expired or ours is taken, a live other is named', async () => {
      const a = ports().scheduler;
      const b = ports().other.scheduler;
      expect(await a.getLease()).toBeNull();
      expect(await a.acquireLease('host-a:1', T0, 45_000)).toEqual({ acquired: true });
      expect(await a.acquireLease('host-a:1', at(1000), 45_000)).toEqual({ acquired: true }); // ours again
      expect(await b.acquireLease('host-b:2', at(2000), 45_000)).toEqual({
        acquired: false,
        current: {
          holder: 'host-a:1',
          acquiredAt: at(1000).toISOString(),
          heartbeatAt: at(1000).toISOString(),
          expiresAt: at(46_000).toISOString(),
        },
      });
      expect(await a.renewLease('host-a:1', at(30_000), 45_000)).toBe(true);
      expect((await b.acquireLease('host-b:2', at(60_000), 45_000)).acquired).toBe(false);
      expect(await b.acquireLease('host-b:2', at(75_000), 45_000)).toEqual({ acquired: true });
      expect(await a.renewLease('host-a:1', at(76_000), 45_000)).toBe(false);
      await a.releaseLease('host-a:1');
      expect((await a.getLease())!.holder).toBe('host-b:2');
      await b.releaseLease('host-b:2');
      expect(await a.getLease()).toBeNull();
    });

    it('takes over an unexpired lease only from the holder named as dead, never from another', async () => {
      const a = ports().scheduler;
      const b = ports().other.scheduler;
      expect(await a.acquireLease('host-a:1:aa', T0, 45_000)).toEqual({ acquired: true });
      expect((await b.acquireLease('host-a:2:bb', at(1000), 45_000, 'host-a:9:zz')).acquired).toBe(false);
      expect(await b.acquireLease('host-a:2:bb', at(1000), 45_000, 'host-a:1:aa')).toEqual({ acquired: true });
      expect((await a.getLease())!.holder).toBe('host-a:2:bb');
      expect(await a.renewLease('host-a:1:aa', at(2000), 45_000)).toBe(false);
    });

    it('remembers the first and the last tick', async () => {
      const { scheduler } = ports();
      expect(await scheduler.lastTickAt()).toBeNull();
      expect(await scheduler.firstTickAt()).toBeNull();
      await scheduler.recordTick(T0);
      await scheduler.recordTick(at(60_000));
      expect(await scheduler.firstTickAt()).toEqual(T0);
      expect(await scheduler.lastTickAt()).toEqual(at(60_000));
    });

    it('logs events per edition in order; the last event of a newsletter ignores waiting', async () => {
      const { scheduler } = ports();
      const E = 'daily/2026-11-30T07:00';
      await scheduler.recordEvent({
        newsletterId: 'daily',
        editionId: E,
        kind: 'prepared',
        detail: null,
        at: T0.toISOString(),
      });
      await scheduler.recordEvent({
        newsletterId: 'daily',
        editionId: E,
        kind: 'sent',
        detail: '3 accepted',
        at: at(1).toISOString(),
      });
      await scheduler.recordEvent({
        newsletterId: 'daily',
        editionId: E,
        kind: 'waiting',
        detail: 'approval',
        at: at(2).toISOString(),
      });
      await scheduler.recordEvent({
        newsletterId: 'weekly',
        editionId: 'weekly/x',
        kind: 'skipped',
        detail: null,
        at: at(3).toISOString(),
      });
      expect((await scheduler.listEvents(E)).map((e) => e.kind)).toEqual(['prepared', 'sent', 'waiting']);
      expect(await scheduler.lastEvent('daily')).toEqual({
        newsletterId: 'daily',
        editionId: E,
        kind: 'sent',
        detail: '3 accepted',
        at: at(1).toISOString(),
      });
      expect(await scheduler.lastEvent('monthly')).toBeNull();
    });

    it('keeps the schedules the last started scheduler recorded, readable from another connection; a later record replaces them', async () => {
      const { scheduler } = ports();
      const other = ports().other.scheduler;
      expect(await other.recordedSchedules()).toBeNull();
      const daily = {
        id: 'daily',
        schedule: '30 6 * * 1-5',
        timezone: 'Europe/Berlin',
        deliver: 'at-slot' as const,
        requireApproval: true,
        prepareAhead: 7_200_000,
        approvalDeadline: 3_600_000,
        onApprovalTimeout: 'skip' as const,
      };
      await scheduler.recordSchedules({
        holder: 'host-a:1',
        recordedAt: T0.toISOString(),
        newsletters: [daily, { ...daily, id: 'weekly', schedule: null }],
      });
      expect(await other.recordedSchedules()).toEqual({
        holder: 'host-a:1',
        recordedAt: T0.toISOString(),
        newsletters: [daily, { ...daily, id: 'weekly', schedule: null }],
      });
      await other.recordSchedules({
        holder: 'host-b:2',
        recordedAt: at(1).toISOString(),
        newsletters: [{ ...daily, schedule: '0 7 * * *' }],
      });
      expect((await scheduler.recordedSchedules())!.newsletters.map((n) => n.schedule)).toEqual(['0 7 * * *']);
      // Ticks share the table: recording schedules leaves them alone.
      await scheduler.recordTick(T0);
      expect(await scheduler.lastTickAt()).toEqual(T0);
      expect((await scheduler.recordedSchedules())!.holder).toBe('host-b:2');
    });
  });
}
