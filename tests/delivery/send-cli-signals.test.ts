import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from './support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const READERS = Array.from({ length: 12 }, (_, i) => `reader${i + 1}@example.org`);

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

/** The CLI as its own process, as ops run it (from the sources: see tests/helpers/cli-process.ts); `signal` is sent once the sink has accepted two messages. */
function runBin(args: string[], env: Record<string, string>, sink: SmtpSink, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tidingsProcessArgs(...args), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const watch = setInterval(() => {
      if (sink.messages.length >= 2) {
        clearInterval(watch);
        child.kill(signal);
      }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(watch);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('a CLI send stopped by a signal', () => {
  const tempDir = useTempDir();

  it.each([
    ['send', 'SIGINT'],
    ['run', 'SIGTERM'],
  ] as const)('`tidings %s` on %s finishes the messages in flight, records them and exits 130', async (command, signal) => {
    const sink = await startSmtpSink({ delayMs: 250 });
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS, maxConnections: 2 });
    const now = new Date();
    const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
    ws.addArticles(slot);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now: now.toISOString() });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);

    const args = command === 'send' ? ['send', 'daily', '--at', slot] : ['run', '--at', slot];
    const stopped = await runBin(['-c', ws.configFile, ...args], { SMTP_URL: sink.url }, sink, signal);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(`${signal}: finishing the messages in flight`);
    expect(stopped.stdout).toContain('Stopped by a signal; messages in flight were recorded');

    // Nothing ambiguous: every message the server accepted is recorded as accepted, the rest are untouched.
    const [edition] = JSON.parse((await cli(['status', '--json'])).out).editions;
    expect(edition).toMatchObject({ sending: 0, ambiguous: 0, accepted: sink.messages.length });
    expect(sink.messages.length).toBeLessThan(READERS.length);

    const rest = await cli(['send', 'daily', '--at', slot]);
    expect(rest.code, rest.out).toBe(0);
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual([...READERS].sort());
  });
});
