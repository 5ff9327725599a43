import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace, type CliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { listeningAddress, spawnCliChild, type CliChild } from './support/cli-child.ts';

const READERS = Array.from({ length: 12 }, (_, i) => `reader${i + 1}@example.org`);

const sinks: SmtpSink[] = [];
const children: CliChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  for (const sink of sinks.splice(0)) await sink.close();
});

/** A project whose daily newsletter is scheduled for this minute (the first tick catches it up), served on a free port. */
function scheduledNow(dir: string): CliWorkspace {
  const ws = createCliWorkspace(dir, { subscribers: READERS, maxConnections: 2 });
  const now = new Date();
  writeFileSync(
    ws.configFile,
    readFileSync(ws.configFile, 'utf8')
      .replace(
        '    timezone: UTC\n',
        `    timezone: UTC\n    schedule: "${now.getUTCMinutes()} ${now.getUTCHours()} * * *"\n    catchUp: 10m\n`,
      )
      .replace('web:\n', 'web:\n  port: 0\n'),
  );
  ws.addArticles(new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString());
  return ws;
}

async function statusOf(ws: CliWorkspace, sink: SmtpSink) {
  const status = await ws.cli(['status', '--json'], { smtpUrl: sink.url, now: new Date().toISOString() });
  return JSON.parse(status.out).editions[0] as Record<string, unknown> & {
    sending: number;
    ambiguous: number;
    accepted: number;
    pending: number;
  };
}

describe('kill -9 of tidings start mid-send, then a restart at once', () => {
  const tempDir = useTempDir('tidings-kill-');

  it('the restart is accepted and takes over both leases at once; status never names the dead pid and reports its rows in flight as ambiguous', async () => {
    // Each message is answered a while after its DATA: when the process dies, the rows whose DATA
    // the server has are claimed (`sending`) with no outcome recorded.
    let dataReceived = 0;
    const sink = await startSmtpSink({
      delayMs: 1500,
      onData: () => {
        dataReceived += 1;
        return undefined;
      },
    });
    sinks.push(sink);
    const ws = scheduledNow(tempDir());
    const args = ['-c', ws.configFile, 'start'];
    const env = { SMTP_URL: sink.url };

    const first = spawnCliChild(args, env);
    children.push(first);
    await first.waitFor('three messages on the wire', () => dataReceived >= 3);
    first.process.kill('SIGKILL');
    await first.exited;

    // Before any restart: the lease rows of the dead process are still unexpired in the store.
    const afterKill = await statusOf(ws, sink);
    expect(afterKill.sendingNow).toBeNull();
    expect(afterKill.sending).toBeGreaterThan(0);
    expect(afterKill.ambiguous).toBe(afterKill.sending);
    const list = await ws.cli(['schedule', '--list'], { smtpUrl: sink.url, now: new Date().toISOString() });
    expect(list.out).toMatch(/^scheduler: not running.*left by a process that no longer exists/m);
    expect(list.out).not.toMatch(/^scheduler: running/m);

    const second = spawnCliChild(args, env);
    children.push(second);
    await second.waitFor('the restart to listen', () => listeningAddress(second.stdout) !== null);
    await second.waitFor('the scheduler to record the send', () =>
      /"msg":"scheduler: (failed|sent)"/.test(second.stderr),
    );
    second.process.kill('SIGTERM');
    expect(await second.exited, second.stderr).toBe(0);

    expect(second.stderr).toContain('taking over the scheduler lease of a process of this machine that no longer runs');
    expect(second.stderr).toContain('taking over the lease of a send that no longer runs');
    expect(second.stderr).not.toContain('another process is sending this edition');

    const done = await statusOf(ws, sink);
    expect(done).toMatchObject({
      sendingNow: null,
      pending: 0,
      ambiguous: afterKill.sending,
      sending: afterKill.sending,
      accepted: READERS.length - afterKill.sending,
    });
    // Every reader gets exactly one message, except the ambiguous ones (the dead process's rows in
    // flight), who got at most one: none was resent.
    const deliveries = await ws.cli(['deliveries', String(done.edition), '--status', 'sending', '--json'], {
      smtpUrl: sink.url,
      now: new Date().toISOString(),
    });
    const ambiguous = new Set(
      (JSON.parse(deliveries.out) as { deliveries: { email: string }[] }).deliveries.map((row) => row.email),
    );
    expect(ambiguous.size).toBe(afterKill.sending);
    const received = sink.messages.map((m) => m.to[0]!);
    for (const reader of READERS) {
      const copies = received.filter((to) => to === reader).length;
      if (ambiguous.has(reader)) expect(copies, reader).toBeLessThanOrEqual(1);
      else expect(copies, reader).toBe(1);
    }
  }, 180_000);
});
