import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/context.ts';
import { appOperations } from '../../src/app/app-operations.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { openMigratedTestDatabase, PG_TEST_URL } from '../helpers/postgres.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { messagesPerReader } from './support/pg-cli-project.ts';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates', import.meta.url));
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

// Interleaved, so the queue's mark stops at the first reader whose 07:00 has not come.
const READERS = Array.from({ length: 40 }, (_, i) => ({
  email: `reader${i + 1}@example.org`,
  timezone: i % 2 ? 'America/New_York' : 'UTC',
}));
const EDITION = 'daily/2026-11-28T07:00';

describe.skipIf(!PG_TEST_URL)('deliver: subscriber-local with workers (PostgreSQL)', () => {
  const tempDir = useTempDir('tidings-local-');

  it('the scheduler releases one zone; a worker queues and sends the next zone at its own 07:00, without the scheduler; each reader once', async () => {
    const { url } = await openMigratedTestDatabase('tidings_local_workers', cleanups);
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const dir = tempDir();
    const ws = createCliWorkspace(dir, { subscribers: [] });
    writeFileSync(
      path.join(dir, 'subscribers', 'list.yaml'),
      `subscribers:\n${READERS.map((r) => `  - email: ${r.email}\n    timezone: ${r.timezone}\n    newsletters: [daily]\n`).join('')}`,
    );
    const config = readFileSync(ws.configFile, 'utf8')
      .replace('store:\n  path: data/tidings.db\n', `store:\n  url: ${url}\n  poolSize: 4\n`)
      .replace('    timezone: UTC\n', '    timezone: UTC\n    schedule: "0 7 * * *"\n    deliver: subscriber-local\n');
    writeFileSync(ws.configFile, `${config}worker:\n  batchSize: 10\n  leaseTtl: 3s\n  idleWait: 50ms\n`);
    ws.addArticles('2026-11-28T07:00:00Z');
    const cli = (args: string[], now: string) => ws.cli(args, { smtpUrl: sink.url, now });
    expect((await cli(['ingest'], '2026-11-28T06:30:00Z')).code).toBe(0);
    expect((await cli(['subscribers', 'sync'], '2026-11-28T06:30:00Z')).code).toBe(0);
    const status = async (now: string) =>
      JSON.parse((await cli(['status', '--json'], now)).out).editions.find(
        (e: { edition: string }) => e.edition === EDITION,
      );
    const received = () => messagesPerReader(sink);
    const inUtc = READERS.filter((r) => r.timezone === 'UTC').map((r) => r.email);

    // The scheduler (in this process, its clock at 07:05 UTC) releases the UTC readers.
    const clock = createFixedClock('2026-11-28T06:00:00Z');
    const loaded = loadConfig(ws.configFile, { SMTP_URL: sink.url });
    const store = await openStore(loaded.config.store, (relative) => path.resolve(dir, relative));
    const ctx = createAppContext({
      loaded,
      store,
      clock,
      logger: createSilentLogger(),
      env: {},
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      templatesDir: TEMPLATES_DIR,
    });
    cleanups.push(() => ctx.close());
    const scheduler = appOperations(ctx).schedulerProcess.createScheduler();
    await scheduler.tick(clock.now());
    clock.set('2026-11-28T07:05:00Z');
    await scheduler.tick(clock.now());
    expect([...received().keys()].sort()).toEqual([...inUtc].sort());
    expect(await status('2026-11-28T07:06:00Z')).toMatchObject({
      status: 'sending',
      audience: READERS.length,
      notYetQueued: READERS.length - inUtc.length,
      pending: 0,
    });

    // A worker before New York's 07:00 queues nobody early, and does not call the edition sent.
    const early = await cli(['worker', '--until-idle'], '2026-11-28T07:10:00Z');
    expect(early.code, early.out + early.err).toBe(0);
    expect(sink.messages).toHaveLength(inUtc.length);
    expect(await status('2026-11-28T07:11:00Z')).toMatchObject({
      status: 'sending',
      notYetQueued: READERS.length - inUtc.length,
    });

    // At 07:05 in New York a worker queues them (the edition's own release rule) and sends them; the scheduler is not needed.
    const late = await cli(['worker', '--until-idle'], '2026-11-28T12:05:00Z');
    expect(late.code, late.out + late.err).toBe(0);
    expect(await status('2026-11-28T12:06:00Z')).toMatchObject({
      status: 'sent',
      accepted: READERS.length,
      notYetQueued: 0,
      pending: 0,
      sending: 0,
    });
    const rows = await ctx.store.ledger.list(EDITION);
    for (const row of rows.filter((r) => !inUtc.includes(r.email!)))
      expect(Date.parse(row.claimedAt!)).toBeGreaterThanOrEqual(Date.parse('2026-11-28T12:00:00Z'));

    // The scheduler's own New York release finds nothing left to send.
    clock.set('2026-11-28T12:15:00Z');
    await scheduler.tick(clock.now());
    await scheduler.stop();
    expect(Math.max(...received().values())).toBe(1);
    expect([...received().keys()].sort()).toEqual(READERS.map((r) => r.email).sort());
  }, 180_000);
});
