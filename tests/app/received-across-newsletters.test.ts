import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const NOW = '2026-11-28T07:00:00.000Z';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

describe('a reader on two newsletters', () => {
  const tempDir = useTempDir();

  it('never gets a story twice: the second newsletter leaves out what the first already delivered (read once per page of readers)', async () => {
    const ws = createCliWorkspace(tempDir(), { subscribers: [] });
    // Two newsletters over the same section; Ann reads both, Bob only the evening one.
    const config = readFileSync(ws.configFile, 'utf8');
    const daily = / {2}- id: daily\n[\s\S]*? {4}timezone: UTC\n/.exec(config)![0];
    writeFileSync(
      ws.configFile,
      config.replace(daily, daily + daily.replace('id: daily', 'id: evening').replace('Test Daily', 'Test Evening')),
    );
    writeFileSync(
      path.join(ws.dir, 'subscribers', 'list.yaml'),
      'subscribers:\n  - email: ann@example.test\n    name: Ann\n    newsletters: [daily, evening]\n  - email: bob@example.test\n    name: Bob\n    newsletters: [evening]\n',
    );
    const sink = await startSmtpSink();
    sinks.push(sink);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now: NOW });

    ws.addArticles(NOW, 3);
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);
    const first = await cli(['send', 'daily', '--at', NOW]);
    expect(first.out, first.err).toContain('1 accepted');

    ws.addArticles(NOW, 2);
    expect((await cli(['ingest'])).code).toBe(0);
    const second = await cli(['send', 'evening', '--at', NOW]);
    expect(second.out, second.err).toContain('2 accepted');

    const evening = await Promise.all(
      sink.messages.filter((m) => m.raw.includes('Test Evening')).map((m) => simpleParser(m.raw)),
    );
    const storiesFor = (address: string) => {
      const message = evening.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0]!.address === address)!;
      return [...(message.text ?? '').matchAll(/Story (\d+) about/g)]
        .map((match) => Number(match[1]))
        .filter((n, i, all) => all.indexOf(n) === i)
        .sort();
    };
    // Ann had stories 1–3 in the daily: the evening brings her only the two new ones; Bob gets all five.
    expect(storiesFor('ann@example.test')).toEqual([4, 5]);
    expect(storiesFor('bob@example.test')).toEqual([1, 2, 3, 4, 5]);
  });
});
