import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { listeningAddress, spawnCliChild, type CliChild } from './support/cli-child.ts';

const READERS = Array.from({ length: 5 }, (_, i) => `reader${i + 1}@example.org`);
const OPERATIONS_DOC = fileURLToPath(new URL('../../docs/operations.md', import.meta.url));

const sinks: SmtpSink[] = [];
const children: CliChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  for (const sink of sinks.splice(0)) await sink.close();
});

/** The `tidings_*` metric names of the table in docs/operations.md ("Metrics and health"). */
function documentedMetrics(): string[] {
  const doc = readFileSync(OPERATIONS_DOC, 'utf8');
  const section = doc.slice(doc.indexOf('## Metrics and health'));
  const table = section.slice(0, section.indexOf('\nAlerts worth having'));
  return [...table.matchAll(/^\| `(tidings_[a-z_]+)` \|/gm)].map((match) => match[1]!);
}

/** The value of one sample line (`name{labels} value`) of a Prometheus text exposition; null when absent. */
function sample(exposition: string, name: string, labels = ''): number | null {
  const line = exposition
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (!labels && l.startsWith(`${name}{`)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

describe('tidings start serves every documented metric', () => {
  const tempDir = useTempDir('tidings-metrics-');

  it('after a scheduled send, /metrics has the scheduler and last-send gauges and every metric docs/operations.md lists, and no undocumented one', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const dir = tempDir();
    const ws = createCliWorkspace(dir, { subscribers: READERS });
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

    const start = spawnCliChild(['-c', ws.configFile, 'start'], { SMTP_URL: sink.url });
    children.push(start);
    await start.waitFor('the scheduled send to finish', () => /"msg":"scheduler: sent"/.test(start.stderr));
    const address = listeningAddress(start.stdout)!;
    const metrics = await (await fetch(`${address}/metrics`)).text();
    start.process.kill('SIGTERM');
    expect(await start.exited, start.stderr).toBe(0);

    const editionId = /"edition":"(daily\/[^"]+)","detail":[^\n]*"msg":"scheduler: sent"/.exec(start.stderr)![1]!;
    const edition = `edition="${editionId}"`;
    expect(sample(metrics, 'tidings_last_send_accepted', edition)).toBe(READERS.length);
    expect(sample(metrics, 'tidings_last_send_rate_messages_per_second', edition)).toBeGreaterThan(0);
    const finished = sample(metrics, 'tidings_last_send_finished_timestamp_seconds', edition)!;
    expect(finished * 1000).toBeGreaterThanOrEqual(now.getTime() - 60_000);
    const tickAge = sample(metrics, 'tidings_scheduler_last_tick_age_seconds');
    expect(tickAge).not.toBeNull();
    expect(tickAge).toBeGreaterThanOrEqual(0);

    // The docs' table and the served metrics are the same list.
    const documented = documentedMetrics();
    expect(documented.length).toBeGreaterThan(5);
    for (const name of documented) expect(sample(metrics, name), `${name} documented but not served`).not.toBeNull();
    const served = [...metrics.matchAll(/^# TYPE (tidings_[a-z_]+) /gm)].map((match) => match[1]!);
    for (const name of served) expect(documented, `${name} served but not in docs/operations.md`).toContain(name);
  }, 180_000);
});
