import { afterEach, describe, expect, it } from 'vitest';
import { runStatus } from '../../src/cli/commands/status.ts';
import { PgLedger } from '../../src/store/postgres/pg-ledger.ts';
import { PgWorkQueue } from '../../src/store/postgres/pg-work-queue.ts';
import { openMigratedTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';
import { enqueueEdition, WORKER_EDITION } from './support/worker-fixture.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const T0 = new Date('2026-11-28T06:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.skipIf(!PG_TEST_URL)('tidings status with workers (PostgreSQL)', () => {
  it("counts a live worker's in-flight rows as in flight, names the worker, and calls them ambiguous once its heartbeat ran out", async () => {
    const { db } = await openMigratedTestDatabase('tidings_status_workers', cleanups);
    const ids = await enqueueEdition(db, 10);
    const queue = new PgWorkQueue(db);
    await queue.heartbeat({ workerId: 'mx1 pid 42', host: 'mx1', pid: 42 }, T0, 30_000);
    await queue.claimBatch(WORKER_EDITION, 'mx1 pid 42', 5, 30_000, T0);
    for (const id of ids.slice(0, 3))
      expect(await queue.claimLeased(WORKER_EDITION, id, 'mx1 pid 42', later(1))).toEqual({ claimed: true });

    const status = async (now: Date, json: boolean) => {
      let out = '';
      const ctx = {
        ledger: new PgLedger(db),
        workQueue: queue,
        now,
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: () => {} },
      };
      expect(await runStatus(ctx, { json })).toBe(0);
      return out;
    };
    const live = JSON.parse(await status(later(2), true)).editions[0];
    expect(live).toMatchObject({
      edition: WORKER_EDITION,
      sending: 3,
      pending: 7,
      ambiguous: 0,
      workers: [{ workerId: 'mx1 pid 42', rows: 3 }],
    });
    expect(await status(later(2), false)).toMatch(
      /being sent by 1 worker: mx1 pid 42 \(3 in flight\); those rows are in flight, not ambiguous/,
    );

    // The worker was killed: once its heartbeat has expired, its in-flight rows are ambiguous.
    const dead = JSON.parse(await status(later(60_000), true)).editions[0];
    expect(dead).toMatchObject({ sending: 3, ambiguous: 3, workers: [] });
  });
});
