import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { PG_TEST_URL } from '../helpers/postgres.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import {
  createPgCliProject,
  expectEveryoneOnce,
  type PgCliProject,
  type QueueState,
} from './support/pg-cli-project.ts';

const READERS = 600;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const queueIncomplete = (s: QueueState) => s.audienceMax !== null && s.queuedThrough < s.audienceMax;
const queueComplete = (s: QueueState) => s.audienceMax !== null && s.queuedThrough >= s.audienceMax;

/** What `status --json` says must match the ledger and the edition: no readers hidden, none sent twice. */
async function expectStatusTells(project: PgCliProject): Promise<Record<string, unknown>> {
  const state = await project.state();
  const status = await project.status();
  expect(status).toMatchObject({
    status: state.status,
    audience: READERS,
    total: state.rows,
    notYetQueued: queueComplete(state) ? 0 : READERS - state.rows,
  });
  // An edition is sent only once every reader has a row in a final state.
  if (state.status === 'sent')
    expect(status).toMatchObject({ notYetQueued: 0, pending: 0, sending: 0, total: READERS });
  return status;
}

describe.skipIf(!PG_TEST_URL)('an edition is queued whole or visibly not (PostgreSQL, real processes)', () => {
  const tempDir = useTempDir('tidings-queue-');

  async function project(prefix: string) {
    const sink = await startSmtpSink({ delayMs: 15 });
    cleanups.push(() => sink.close());
    return { sink, project: await createPgCliProject(tempDir(), cleanups, { readers: READERS, sink, prefix }) };
  }

  it('a send stopped by SIGTERM while queuing, beside two workers: the workers queue the rest and send everyone once', async () => {
    const { sink, project: p } = await project('tidings_queue_term');
    const workers = [p.spawn(['worker']), p.spawn(['worker'])];
    const send = p.spawn(['send', 'daily', '--at', p.slot]);
    // Within the first page: two more pages to go, so the signal surely lands before queuing is done.
    await p.waitFor('the first page queued', (s) => s.rows > 0 && s.rows <= 256 && queueIncomplete(s));
    send.child.kill('SIGTERM');
    const stopped = await send.exited;
    expect(stopped.code, stopped.stderr + stopped.stdout).toBe(130);
    // The send names what it left (it holds the edition until it exits: nobody queued more meanwhile).
    expect(stopped.stdout).toMatch(
      /\d+ not yet queued: daily\/\S+ stays sending; the next send, the scheduler or a worker queues them/,
    );
    expect(stopped.stdout).not.toMatch(/ambiguous deliveries/);

    const done = await p.waitFor('the workers to finish the edition', (s) => s.status === 'sent');
    expect(done).toMatchObject({ rows: READERS, pending: 0, queuedThrough: done.audienceMax });
    await expectStatusTells(p);
    for (const worker of workers) worker.child.kill('SIGTERM');
    for (const worker of workers) expect((await worker.exited).code).toBe(0);
    expect(await expectEveryoneOnce(p, sink)).toEqual([]);
  }, 240_000);

  it.each([
    ['before queuing', (s: QueueState) => s.status === 'sending'],
    ['while queuing', (s: QueueState) => s.rows > 0 && queueIncomplete(s)],
    ['after queuing', (s: QueueState) => queueComplete(s) && s.pending > 20],
  ] as const)(
    'a send killed with SIGKILL %s, beside two workers: the workers finish, a rerun reports only the real ambiguous rows',
    async (when, point) => {
      const { sink, project: p } = await project('tidings_queue_kill');
      const workers = [p.spawn(['worker']), p.spawn(['worker'])];
      const send = p.spawn(['send', 'daily', '--at', p.slot]);
      const atKill = await p.waitFor(`the send ${when}`, point);
      send.child.kill('SIGKILL');
      expect((await send.exited).signal).toBe('SIGKILL');
      expect(atKill.audienceTotal).toBe(READERS);
      // Whatever it had queued, the workers take the dead send's place (same machine: at once) and finish.
      const finished = await p.waitFor(
        'every reader queued and nothing pending',
        (s) => queueComplete(s) && s.rows === READERS && s.pending === 0,
      );
      expect(finished.status).not.toBe('none');
      for (const worker of workers) worker.child.kill('SIGTERM');
      for (const worker of workers) await worker.exited;
      await expectStatusTells(p);

      const ambiguous = await expectEveryoneOnce(p, sink);
      // Only the dead send's rows in flight can be ambiguous: its lanes, twice its two connections on PostgreSQL
      // (src/app/claim-ahead.ts); the edition is not sent while they are.
      expect(ambiguous.length).toBeLessThanOrEqual(4);
      const rerun = await p.cli(['send', 'daily', '--at', p.slot]);
      expect(rerun.code, rerun.out + rerun.err).toBe(ambiguous.length ? 1 : 0);
      expect((await p.state()).status).toBe(ambiguous.length ? 'sending' : 'sent');
      if (ambiguous.length) expect(rerun.out).toContain(`${ambiguous.length} ambiguous deliveries`);
      expect(await expectEveryoneOnce(p, sink)).toEqual(ambiguous);
      const status = await expectStatusTells(p);
      expect(status).toMatchObject({ ambiguous: ambiguous.length, notYetQueued: 0 });
    },
    240_000,
  );

  it('send --limit beside workers is a partial send: the rest stays visibly unqueued until a send without a limit', async () => {
    const { sink, project: p } = await project('tidings_queue_limit');
    const workers = [p.spawn(['worker']), p.spawn(['worker'])];
    const limited = await p.cli(['send', 'daily', '--at', p.slot, '--limit', '5']);
    expect(limited.code, limited.out + limited.err).toBe(0);
    expect(limited.out).toMatch(/Stopped at --limit/);
    expect(limited.out).toMatch(/\d+ not yet queued: daily\/\S+ stays sending; the next send queues them/);
    // The workers send what was queued and leave the rest: queuing is held by the limit.
    await p.waitFor('the queued rows sent', (s) => s.pending === 0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few more worker rounds: still nothing queued
    const held = await p.state();
    expect(held).toMatchObject({ status: 'sending', pending: 0 });
    expect(held.heldBy).toMatch(/^send --limit 5/);
    expect(held.rows).toBeLessThan(20);
    expect(sink.messages.length).toBeLessThanOrEqual(held.rows);
    const status = await expectStatusTells(p);
    expect(status).toMatchObject({ notYetQueued: READERS - held.rows, queueHeldBy: held.heldBy });
    const text = await p.cli(['status']);
    expect(text.out).toContain(
      `${READERS - held.rows} of ${READERS} readers not yet queued (queuing held by send --limit 5`,
    );

    const rest = await p.cli(['send', 'daily', '--at', p.slot]);
    expect(rest.code, rest.out + rest.err).toBe(0);
    await p.waitFor('the edition sent', (s) => s.status === 'sent');
    for (const worker of workers) worker.child.kill('SIGTERM');
    for (const worker of workers) expect((await worker.exited).code).toBe(0);
    expect(await expectEveryoneOnce(p, sink)).toEqual([]);
    await expectStatusTells(p);
  }, 240_000);

  it('a worker killed with SIGKILL while the send queues: the others finish, its leased rows come back, nobody twice', async () => {
    const { sink, project: p } = await project('tidings_queue_worker_kill');
    const victim = p.spawn(['worker']);
    const survivor = p.spawn(['worker']);
    const send = p.spawn(['send', 'daily', '--at', p.slot]);
    const victimPid = victim.child.pid!;
    await p.waitFor('the victim leasing rows while queuing goes on', (s) => s.rows > 0 && queueIncomplete(s));
    const leased = async () =>
      (
        await p.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM deliveries WHERE lease_owner LIKE $1`, [
          `% pid ${victimPid} worker %`,
        ])
      ).rows[0]!.n;
    const deadline = Date.now() + 60_000;
    while ((await leased()) === 0 && Date.now() < deadline && queueIncomplete(await p.state()))
      await new Promise((resolve) => setTimeout(resolve, 5));
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    const sent = await send.exited;
    // The send's summary never calls a live worker's rows ambiguous; the dead worker's become so once its heartbeat expires.
    expect(sent.code === 0 || sent.code === 1, sent.stdout + sent.stderr).toBe(true);
    await p.waitFor('every reader queued and nothing pending', (s) => queueComplete(s) && s.pending === 0, 180_000);
    survivor.child.kill('SIGTERM');
    await survivor.exited;
    const ambiguous = await expectEveryoneOnce(p, sink);
    // The victim's rows in flight are the only ambiguous ones: at most its concurrency, by
    // default twice maxConnections (2), the lanes that claim ahead (src/app/claim-ahead.ts).
    expect(ambiguous.length).toBeLessThanOrEqual(4);
    expect((await p.state()).status).toBe(ambiguous.length ? 'sending' : 'sent');
    const status = await expectStatusTells(p);
    expect(status).toMatchObject({ ambiguous: ambiguous.length, workers: [] });
  }, 300_000);
});
