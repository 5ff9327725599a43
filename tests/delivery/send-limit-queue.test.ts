import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from './support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const READERS = Array.from({ length: 12 }, (_, i) => `reader${i + 1}@example.org`);

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

describe('send --limit on SQLite: a real partial send', () => {
  const tempDir = useTempDir();

  it('queues little more than it sends, leaves the edition sending with the rest visibly not queued, and a rerun sends the rest once', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS, maxConnections: 2 });
    const now = '2026-11-28T07:00:00Z';
    ws.addArticles(now);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now });
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);

    const limited = await cli(['send', 'daily', '--limit', '3']);
    expect(limited.code, limited.out).toBe(0);
    expect(sink.messages).toHaveLength(3);
    const [partial] = JSON.parse((await cli(['status', '--json'])).out).editions;
    expect(partial).toMatchObject({ status: 'sending', accepted: 3, audience: READERS.length, ambiguous: 0 });
    // Pages no larger than the limit: at most a page per connection more than it sent is queued (pending).
    expect(partial.total).toBeLessThanOrEqual(3 + 2 * 3);
    expect(partial.notYetQueued).toBe(READERS.length - partial.total);
    expect(partial.notYetQueued).toBeGreaterThan(0);
    expect(limited.out).toContain(
      `${partial.notYetQueued} not yet queued: daily/2026-11-28T07:00 stays sending; the next send queues them`,
    );
    expect((await cli(['status'])).out).toContain(
      `${partial.notYetQueued} of ${READERS.length} readers not yet queued (queuing held by send --limit 3`,
    );

    const rest = await cli(['send', 'daily']);
    expect(rest.code, rest.out).toBe(0);
    const [whole] = JSON.parse((await cli(['status', '--json'])).out).editions;
    expect(whole).toMatchObject({
      status: 'sent',
      accepted: READERS.length,
      pending: 0,
      total: READERS.length,
      notYetQueued: 0,
      queueHeldBy: null,
    });
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual([...READERS].sort());
  }, 60_000);
});
