import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { holdSendLease, SEND_LEASE_TTL_MS } from '../../src/delivery/send-lease.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteSendLease } from '../../src/store/sqlite/sqlite-send-lease.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import path from 'node:path';

const E = 'daily/2026-11-28T07:00';
const T0 = new Date('2026-11-28T07:00:00Z');
const first = { holder: 'host-a pid 10 run aaaa', host: 'host-a', pid: 10 };
const second = { holder: 'host-b pid 20 run bbbb', host: 'host-b', pid: 20 };
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('SqliteSendLease', () => {
  const tempDir = useTempDir();
  const open = () => {
    const file = path.join(tempDir(), 'store.db');
    // Two connections to one file, as two processes would have.
    return [new SqliteSendLease(openDatabase(file)), new SqliteSendLease(openDatabase(file))] as const;
  };

  it('lets one holder in at a time until it releases or its lease expires without a heartbeat', async () => {
    const [a, b] = open();
    expect(await a.acquire(E, first, T0, SEND_LEASE_TTL_MS)).toEqual({ acquired: true });
    const refused = await b.acquire(E, second, at(1000), SEND_LEASE_TTL_MS);
    expect(refused).toMatchObject({ acquired: false, current: { holder: first.holder, host: 'host-a', pid: 10, expiresAt: at(SEND_LEASE_TTL_MS).toISOString() } });
    expect(await b.acquire('daily/2026-11-29T07:00', second, at(1000), SEND_LEASE_TTL_MS)).toEqual({ acquired: true }); // another edition

    // A heartbeat keeps it; no heartbeat lets it expire.
    expect(await a.renew(E, first.holder, at(50_000), SEND_LEASE_TTL_MS)).toBe(true);
    expect((await b.acquire(E, second, at(100_000), SEND_LEASE_TTL_MS)).acquired).toBe(false);
    expect(await b.active(at(55_000), 'daily')).toHaveLength(2);
    expect(await b.active(at(55_000), 'weekly')).toHaveLength(0);
    expect((await b.active(at(100_000))).map((l) => l.editionId)).toEqual([E]); // the other one expired
    expect(await b.acquire(E, second, at(110_001), SEND_LEASE_TTL_MS)).toEqual({ acquired: true });
    // The first holder learns it lost the lease at its next heartbeat.
    expect(await a.renew(E, first.holder, at(111_000), SEND_LEASE_TTL_MS)).toBe(false);
    await a.release(E, first.holder); // not its lease any more: no effect
    expect((await a.active(at(111_000))).map((l) => l.holder)).toContain(second.holder);
    await b.release(E, second.holder);
    expect(await a.active(at(111_000))).toEqual([]);
  });

  it('holdSendLease names the holder when refused, and takes over the lease of a process that no longer exists', async () => {
    const [a, b] = open();
    const clock = createFixedClock(T0.toISOString());
    const logger = createSilentLogger();
    // A pid that existed a moment ago and is gone now, as after kill -9.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const crashed = { holder: `host pid ${gone} run cccc`, host: 'host', pid: gone };
    expect(await a.acquire(E, crashed, T0, SEND_LEASE_TTL_MS)).toEqual({ acquired: true });

    const options = { lease: b, editionId: E, request: second, clock, logger, refusal: () => 'wait for it' };
    await expect(holdSendLease({ ...options, isHolderGone: () => false })).rejects.toMatchObject({
      code: 'SEND_LEASE_HELD',
      message: expect.stringMatching(new RegExp(`${E} is being sent by host pid ${gone} run cccc .*: wait for it`)),
    });
    const held = await holdSendLease({ ...options, isHolderGone: (holder) => holder.pid === gone });
    expect((await a.active(T0)).map((l) => l.holder)).toEqual([second.holder]);
    await held.release();
    expect(await a.active(T0)).toEqual([]);
  });
});
