import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from './support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';
import { spawnCli } from './support/spawn-cli.ts';

const READERS = Array.from({ length: 12 }, (_, i) => `reader${i + 1}@example.org`);

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

describe('a CLI send stopped by a signal', () => {
  const tempDir = useTempDir();

  it.each([
    ['send', 'SIGINT'],
    ['run', 'SIGTERM'],
  ] as const)(
    '`tidings %s` on %s finishes the messages in flight, records them and exits 130',
    async (command, signal) => {
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
      const stopped = await spawnCli(
        ['-c', ws.configFile, ...args],
        { SMTP_URL: sink.url },
        { signal, when: () => sink.messages.length >= 2 },
      );
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
    },
    60_000,
  ); // a child process compiling the CLI through tsx: slow on a loaded machine
});
