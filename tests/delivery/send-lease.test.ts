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
const second = { holder: 'host-b pid 20 run bbbb', host: 'host-b', pid: 20 };

// What a send lease does, on SQLite and PostgreSQL alike: tests/store/contract/send-lease.contract.ts.
describe('holdSendLease on SqliteSendLease', () => {
  const tempDir = useTempDir();
  const open = () => {
    const file = path.join(tempDir(), 'store.db');
    // Two connections to one file, as two processes would have.
    return [new SqliteSendLease(openDatabase(file)), new SqliteSendLease(openDatabase(file))] as const;
  };

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
