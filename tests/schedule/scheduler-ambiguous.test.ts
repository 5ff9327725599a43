import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAmbiguousDeliveries } from '../../src/app/resolve-ambiguous.ts';
import { createLogger } from '../../src/core/logger.ts';
import { startFaultySmtpServer, type FaultySmtpServer } from '../delivery/support/faulty-smtp-server.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

const EDITION = 'daily/2026-11-30T07:00';
const NEWSLETTER = `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: since-last\n`;

const servers: FaultySmtpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('the scheduler and ambiguous deliveries', () => {
  const tempDir = useTempDir('tidings-sched-ambiguous-');

  it('warns about them, leaves the edition to ops, and takes it up again once they are resolved', async () => {
    // ada's first message is kept by the server but its reply is lost.
    const server = await startFaultySmtpServer(({ to, attempt }) =>
      to[0] === 'ada@example.org' && attempt === 1 ? 'drop-after-dot' : 'accept',
    );
    servers.push(server);
    const lines: { level: number; msg: string }[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: NEWSLETTER,
      readers: [{ email: 'ada@example.org' }, { email: 'bo@example.org' }],
      start: '2026-11-30T06:45:00Z',
      transportYaml: `transport:\n  type: smtp\n  url: ${server.url}\n  maxConnections: 1\n`,
      logger: createLogger({ level: 'info', destination }),
    });
    try {
      ws.addArticles('2026-11-29T09:00:00Z', '2026-11-30T06:00:00Z', 6);
      await ws.runUntil('2026-11-30T07:00:00Z');
      expect((await ws.ctx.store.editions.getEdition(EDITION))!.status).toBe('sending');
      const warned = lines.filter((line) => line.level === 40 && /ambiguous deliveries/.test(line.msg));
      expect(warned.length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.level === 30 && /ambiguous deliveries/.test(line.msg))).toEqual([]);

      // Left to ops: the next ticks send nothing more.
      ws.clock.advance(15 * 60_000);
      await ws.runUntil('2026-11-30T07:15:00Z');
      expect(server.messages.map((m) => m.to[0]).sort()).toEqual(['ada@example.org', 'bo@example.org']);

      // While a send holds the edition, its `sending` rows are in flight: nothing is resolved (exit 1).
      const lease = { holder: 'mx2 pid 7 run abc', host: 'mx2', pid: 7 };
      expect((await ws.ctx.store.sendLease.acquire(EDITION, lease, ws.clock.now(), 60_000)).acquired).toBe(true);
      const held = await resolveAmbiguousDeliveries(ws.ctx, {
        editionId: EDITION,
        emails: 'all-ambiguous',
        decision: 'not-accepted',
        by: 'ops',
      });
      expect([held.exitCode, held.lines.join(' ')]).toEqual([
        1,
        expect.stringContaining('is being sent now by mx2 pid 7 run abc'),
      ]);
      expect(await ws.ctx.store.ledger.listAmbiguous(EDITION)).toHaveLength(1);
      await ws.ctx.store.sendLease.release(EDITION, lease.holder);

      const resolved = await resolveAmbiguousDeliveries(ws.ctx, {
        editionId: EDITION,
        emails: 'all-ambiguous',
        decision: 'not-accepted',
        by: 'ops',
      });
      expect(resolved.exitCode).toBe(0);
      ws.clock.advance(15 * 60_000);
      await ws.runUntil('2026-11-30T07:30:00Z');
      expect(server.messages.map((m) => m.to[0]).sort()).toEqual([
        'ada@example.org',
        'ada@example.org',
        'bo@example.org',
      ]);
      const edition = (await ws.ctx.store.editions.getEdition(EDITION))!;
      expect([edition.status, edition.statusReason]).toEqual([
        'sent',
        '1 was ambiguous, resolved by ops (1 not accepted and resent)',
      ]);
    } finally {
      ws.close();
    }
  }, 60_000);
});
