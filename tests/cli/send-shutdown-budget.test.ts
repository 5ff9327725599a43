import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const READERS = Array.from({ length: 6 }, (_, i) => `reader${i + 1}@example.org`);

const children: ChildProcess[] = [];
const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const sink of sinks.splice(0)) await sink.close();
});

describe('tidings run: a stop has a budget (shutdownTimeout)', () => {
  const tempDir = useTempDir('tidings-send-budget-');

  it('messages whose reply never comes: SIGTERM exits soon after shutdownTimeout with them recorded ambiguous; the rerun sends the rest once', async () => {
    // The server takes each whole message and never answers it: the server may have it.
    const arrived: string[] = [];
    const silent = await startSmtpSink({ delayMs: 300_000, onData: (message) => void arrived.push(message.to[0]!) });
    sinks.push(silent);
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS, maxConnections: 2 });
    appendFileSync(ws.configFile, 'shutdownTimeout: 2s\n');
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    ws.addArticles(slot);

    const child = spawn(process.execPath, tidingsProcessArgs('-c', ws.configFile, 'run', '--at', slot), {
      env: { ...process.env, SMTP_URL: silent.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Both connections carry a complete message and wait for the reply.
    await expect.poll(() => arrived.length, { timeout: 60_000 }).toBe(2);
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const tookMs = Date.now() - signalled;
    expect(stderr).toContain('shutdownTimeout (2 s) spent');
    // Stopped by a signal, as without a budget.
    expect(code, stderr).toBe(130);
    // Before: the wait for the reply ran to transport.socketTimeout (60 s). The budget is 2 s.
    expect(tookMs).toBeLessThan(45_000);

    const now = new Date().toISOString();
    const [stopped] = JSON.parse((await ws.cli(['status', '--json'], { smtpUrl: silent.url, now })).out).editions;
    expect(stopped).toMatchObject({ ambiguous: 2, accepted: 0 });

    const sink = await startSmtpSink();
    sinks.push(sink);
    const rerun = await ws.cli(['send', 'daily', '--at', slot], { smtpUrl: sink.url, now });
    expect(rerun.out).toMatch(/ambiguous/);
    // Everyone else once; the two the server may have are not sent again unattended.
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual(READERS.filter((r) => !arrived.includes(r)).sort());
  }, 180_000);
});
