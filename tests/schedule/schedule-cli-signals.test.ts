import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const READERS = Array.from({ length: 12 }, (_, i) => `reader${i + 1}@example.org`);

const sinks: SmtpSink[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const sink of sinks.splice(0)) await sink.close();
});

/**
 * `tidings -c FILE <command>` as its own process (from the sources, see
 * tests/helpers/cli-process.ts) until `until(stdout)` holds, then SIGTERM; resolves with the exit.
 */
function runProcess(
  command: string,
  configFile: string,
  env: Record<string, string>,
  until: (stdout: string) => boolean | Promise<boolean>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tidingsProcessArgs('-c', configFile, command), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let checking = false;
    const watch = setInterval(async () => {
      if (checking) return;
      checking = true;
      const done = await until(stdout);
      checking = false;
      if (!done || child.exitCode !== null) return;
      clearInterval(watch);
      child.kill('SIGTERM');
    }, 5);
    child.on('exit', (code) => {
      clearInterval(watch);
      resolve({ code, stdout, stderr });
    });
  });
}

/** GET /healthz and /metrics of the server whose address `tidings start` printed; null before it listens. */
async function healthOf(stdout: string): Promise<{ status: number; health: string; metrics: string } | null> {
  const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  if (!address) return null;
  const health = await fetch(`${address}/healthz`);
  return {
    status: health.status,
    health: await health.text(),
    metrics: await (await fetch(`${address}/metrics`)).text(),
  };
}

describe.each(['schedule', 'start'])('tidings %s as a process: SIGTERM mid-send, then a restart', (command) => {
  const tempDir = useTempDir('tidings-sched-');

  it('the stopped process records what was in flight and exits 0; the restarted one finishes the list; every reader gets exactly one message', async () => {
    const sink = await startSmtpSink({ delayMs: 200 });
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS, maxConnections: 2 });
    const now = new Date();
    // The slot is this minute: the scheduler's first tick catches it up (catchUp 10m).
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
    const env = { SMTP_URL: sink.url };

    let healthy: { status: number; health: string; metrics: string } | null = null;
    const first = await runProcess(command, ws.configFile, env, async (stdout) => {
      if (command === 'start' && healthy === null) healthy = await healthOf(stdout);
      return sink.messages.length >= 2 && (command !== 'start' || healthy !== null);
    });
    if (command === 'start') {
      expect(healthy!.status).toBe(200);
      // Asked as soon as the server listens: before or after the scheduler's first tick, it is healthy.
      expect(healthy!.health).toMatch(/^ok: store ok; scheduler (ticking|starting)/);
      // The same server exposes Prometheus metrics, the next run of the newsletter among them.
      expect(healthy!.metrics).toMatch(/^tidings_newsletter_next_run_timestamp_seconds\{newsletter="[a-z]+"\} \d+/m);
      expect(healthy!.metrics).toContain('tidings_deliveries{status="accepted"}');
    }
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('SIGTERM: finishing the messages in flight');
    const afterStop = sink.messages.length;
    expect(afterStop).toBeLessThan(READERS.length);
    const status = await ws.cli(['status', '--json'], { smtpUrl: sink.url, now: new Date().toISOString() });
    const [edition] = JSON.parse(status.out).editions;
    // Nothing ambiguous: what the server accepted is recorded as accepted.
    expect(edition).toMatchObject({ sending: 0, ambiguous: 0, accepted: afterStop });

    const second = await runProcess(command, ws.configFile, env, () => sink.messages.length >= READERS.length);
    expect(second.code, second.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual([...READERS].sort());
    const [done] = JSON.parse(
      (await ws.cli(['status', '--json'], { smtpUrl: sink.url, now: new Date().toISOString() })).out,
    ).editions;
    expect(done).toMatchObject({ accepted: READERS.length, sending: 0, ambiguous: 0 });
  }, 120_000);
});
