import { describe, expect, it } from 'vitest';
import { SEND_LEASE_TTL_MS } from '../../../src/delivery/send-lease.ts';
import type { OpenPorts } from './backends.ts';
import { usePorts } from './seed.ts';

const E = 'daily/2026-11-28T07:00';
const T0 = new Date('2026-11-28T07:00:00Z');
const first = { holder: 'host-a pid 10 run aaaa', host: 'host-a', pid: 10 };
const second = { holder: 'host-b pid 20 run bbbb', host: 'host-b', pid: 20 };
const third = { holder: 'host-c pid 30 run cccc', host: 'host-c', pid: 30 };
const at = (ms: number) => new Date(T0.getTime() + ms);

/** The SendLease port (src/delivery/send-lease.ts). */
export function sendLeaseContract(name: string, open: OpenPorts): void {
  describe(`${name}: SendLease contract`, () => {
    const ports = usePorts(open);

    it('lets one holder in at a time until it releases or its lease expires without a heartbeat', async () => {
      const a = ports().sendLease;
      const b = ports().other.sendLease;
      expect(await a.acquire(E, first, T0, SEND_LEASE_TTL_MS)).toEqual({ acquired: true });
      const refused = await b.acquire(E, second, at(1000), SEND_LEASE_TTL_MS);
      expect(refused).toMatchObject({
        acquired: false,
        current: {
          editionId: E,
          holder: first.holder,
          host: 'host-a',
          pid: 10,
          acquiredAt: T0.toISOString(),
          expiresAt: at(SEND_LEASE_TTL_MS).toISOString(),
        },
      });
      expect(await b.acquire('daily/2026-11-29T07:00', second, at(1000), SEND_LEASE_TTL_MS)).toEqual({
        acquired: true,
      });
      expect(await a.renew(E, first.holder, at(50_000), SEND_LEASE_TTL_MS)).toBe(true);
      expect((await b.acquire(E, second, at(100_000), SEND_LEASE_TTL_MS)).acquired).toBe(false);
      expect(await b.active(at(55_000), 'daily')).toHaveLength(2);
      expect(await b.active(at(55_000), 'dail')).toHaveLength(0);
      expect(await b.active(at(55_000), 'weekly')).toHaveLength(0);
      expect((await b.active(at(100_000))).map((l) => l.editionId)).toEqual([E]);
      expect(await b.acquire(E, second, at(110_001), SEND_LEASE_TTL_MS)).toEqual({ acquired: true });
      expect(await a.renew(E, first.holder, at(111_000), SEND_LEASE_TTL_MS)).toBe(false);
      await a.release(E, first.holder); // not its lease any more: no effect
      expect((await a.active(at(111_000))).map((l) => l.holder)).toContain(second.holder);
      await b.release(E, second.holder);
      expect(await a.active(at(111_000))).toEqual([]);
    });

    it('hands a live lease to a new holder only when told the holder is gone, and to exactly one of racing takers', async () => {
      const a = ports().sendLease;
      const b = ports().other.sendLease;
      await a.acquire(E, first, T0, SEND_LEASE_TTL_MS);
      expect((await b.acquire(E, second, at(1), SEND_LEASE_TTL_MS, 'someone else')).acquired).toBe(false);
      expect(await b.acquire(E, second, at(1), SEND_LEASE_TTL_MS, first.holder)).toEqual({ acquired: true });
      await b.release(E, second.holder);
      const race = await Promise.all([
        a.acquire(E, first, at(2), SEND_LEASE_TTL_MS),
        b.acquire(E, third, at(2), SEND_LEASE_TTL_MS),
      ]);
      expect(race.filter((claim) => claim.acquired)).toHaveLength(1);
    });
  });
}
