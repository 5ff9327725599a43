import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { readEditionProgress } from '../../src/app/edition-progress.ts';
import { systemClock } from '../../src/core/clock.ts';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.ts';
import { PgLedger } from '../../src/store/postgres/pg-ledger.ts';
import { PgWorkQueue } from '../../src/store/postgres/pg-work-queue.ts';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { PG_TEST_URL } from '../helpers/postgres.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createPgCliProject, expectEveryoneOnce } from './support/pg-cli-project.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe.skipIf(!PG_TEST_URL)('ambiguous means ambiguous: a send beside a live worker (PostgreSQL)', () => {
  const tempDir = useTempDir('tidings-live-worker-');

  it('names the rows a live worker has in flight as in flight at that worker, never as ambiguous; once its heartbeat is gone they are', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const p = await createPgCliProject(tempDir(), cleanups, { readers: 30, sink, prefix: 'tidings_live_worker' });
    expect((await p.cli(['edition', 'build', 'daily', '--at', p.slot])).code).toBe(0);
    // A worker (another machine) leased two readers' rows and has their messages in flight right now.
    const queue = new PgWorkQueue(p.db);
    const worker = { workerId: 'mx1 pid 42 worker abcd1234', host: 'mx1', pid: 42 };
    const { rows } = await p.db.query<{ id: number }>(`SELECT id FROM subscribers ORDER BY id LIMIT 2`);
    const inFlight = rows.map((r) => r.id);
    await new PgLedger(p.db).ensurePending(p.editionId, inFlight);
    await queue.heartbeat(worker, new Date(), 600_000);
    expect(await queue.claimBatch(p.editionId, worker.workerId, 2, 60_000, new Date())).toEqual(inFlight);
    for (const id of inFlight)
      expect(await queue.claimLeased(p.editionId, id, worker.workerId, new Date())).toEqual({ claimed: true });

    const send = await p.cli(['send', 'daily', '--at', p.slot]);
    expect(send.code, send.out).toBe(0);
    expect(send.out).toContain(
      '2 in flight at worker mx1 pid 42 worker abcd1234 (alive): not ambiguous, the worker records them.',
    );
    expect(send.out).not.toMatch(/ambiguous deliveries/);
    // Its rows are not final yet: the edition is not sent.
    expect(await p.status()).toMatchObject({
      status: 'sending',
      sending: 2,
      ambiguous: 0,
      notYetQueued: 0,
      workers: [{ workerId: worker.workerId, rows: 2 }],
    });
    // The desk's progress (the same app operation the page's event stream sends) says the same.
    const store = await openPostgresStore(p.url, { maxConnections: 2, migrate: false });
    cleanups.push(() => store.close());
    const progress = () => readEditionProgress({ store, clock: systemClock }, p.editionId);
    expect(await progress()).toMatchObject({
      status: 'sending',
      audience: 30,
      notYetQueued: 0,
      ambiguous: 0,
      inFlightAtWorkers: [{ workerId: worker.workerId, rows: 2 }],
    });

    // The worker died: its last heartbeat (a minute ago) ran out. Now its rows are what ambiguous means, and the send says so.
    await queue.heartbeat(worker, new Date(Date.now() - 60_000), 1000);
    const after = await p.cli(['send', 'daily', '--at', p.slot]);
    expect(after.code, after.out).toBe(1);
    expect(after.out).toContain('2 ambiguous deliveries');
    expect(after.out).not.toContain('in flight at worker');
    expect(await p.status()).toMatchObject({ status: 'sending', sending: 2, ambiguous: 2, workers: [] });
    expect(await progress()).toMatchObject({ ambiguous: 2, inFlightAtWorkers: [] });
    const ambiguous = await expectEveryoneOnce(p, sink);
    expect(ambiguous).toHaveLength(2);
    expect(os.hostname()).not.toBe('mx1');
  }, 120_000);
});
