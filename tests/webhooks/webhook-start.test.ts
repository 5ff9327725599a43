import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../delivery/support/smtp-sink.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { spawnCliChild, type CliChild } from '../schedule/support/cli-child.ts';
import { createSubscriberWorkspace } from '../app/support/subscriber-workspace.ts';
import { newSecret, startReceiver } from './support/receiver.ts';

const closers: (() => unknown)[] = [];
const children: CliChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  for (const close of closers.splice(0).reverse()) await close();
});
const tempDir = useTempDir('tidings-webhook-start-');

const endpoint = (url: string) =>
  `fetch:\n  allowPrivateNetworks: true\nwebhooks:\n  every: 200ms\n  endpoints:\n    - name: crm\n      url: ${url}\n      secretEnv: CRM_WEBHOOK_SECRET\n`;

describe('webhooks and the other processes', () => {
  it('`tidings start` posts an event another process queued (an erasure), signed, and stops cleanly', async () => {
    const secret = newSecret();
    const receiver = await startReceiver(secret);
    closers.push(() => receiver.close());
    const sink = await startSmtpSink();
    closers.push(() => sink.close());
    const ws = createSubscriberWorkspace(tempDir(), [{ email: 'ann@example.org', newsletters: ['daily'] }]);
    closers.push(() => ws.close());
    writeFileSync(ws.configFile, readFileSync(ws.configFile, 'utf8').replace('web:\n', 'web:\n  port: 0\n'));
    appendFileSync(ws.configFile, endpoint(receiver.url));
    const now = () => new Date().toISOString();
    expect((await ws.cli(['subscribers', 'sync'], sink.url, now())).code).toBe(0);

    const start = spawnCliChild(['-c', ws.configFile, 'start'], { SMTP_URL: sink.url, CRM_WEBHOOK_SECRET: secret });
    children.push(start);
    await start.waitFor('the server to listen', () => /listening on/.test(start.stdout));
    const forget = await ws.cli(['subscribers', 'forget', 'ann@example.org'], sink.url, now());
    expect(forget.code, forget.err).toBe(0);
    await receiver.waitFor(1);
    start.process.kill('SIGTERM');
    expect(await start.exited, start.stderr).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.error).toBeNull();
    expect(receiver.received[0]!.verified).toMatchObject({ type: 'subscriber.erased', data: { subscriberId: 1 } });
    // No address in it: the person asked to be forgotten.
    expect(receiver.received[0]!.body).not.toContain('ann@');
    const listed = await runCli(['-q', '-c', ws.configFile, 'webhooks', 'list'], {}, now());
    expect(listed.out).toMatch(/delivered {2}1 attempt\(s\) {2}crm {2}subscriber\.erased/);

    // Without the secret, `tidings start` refuses before it listens or schedules anything.
    const refused = await runCli(['-q', '-c', ws.configFile, 'start'], { SMTP_URL: sink.url }, now());
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'webhooks.endpoints[0].secretEnv: the environment variable CRM_WEBHOOK_SECRET is not set',
    );
    expect(refused.out).not.toContain('listening');
  }, 120_000);

  it('a source that fails queues source.failed once per streak, and source.recovered when it works again', async () => {
    let failing = true;
    const feed = http.createServer((_request, response) => {
      if (failing) return void response.writeHead(503).end('down');
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>' +
          '<item><title>Harbour reopens</title><link>https://wire.example.org/harbour</link><pubDate>Mon, 02 Mar 2026 06:00:00 GMT</pubDate>' +
          '<description>The harbour reopened after repairs to the quay wall were finished this week.</description></item></channel></rss>',
      );
    });
    await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => feed.close(() => resolve())));
    const dir = tempDir();
    const configFile = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      configFile,
      `store:\n  path: data/tidings.db\ncategories:\n  news:\n    title: News\nsources:\n  - name: wire\n    type: feed\n` +
        `    url: http://127.0.0.1:${(feed.address() as AddressInfo).port}/rss\n    categories: [news]\n    fullText: never\n` +
        endpoint('https://hooks.example.org/tidings'),
    );
    const ingest = (at: string) => runCli(['-q', '-c', configFile, 'ingest'], {}, at);
    const first = await ingest('2026-03-02T07:00:00Z');
    expect(first.code, first.out + first.err).toBe(1);
    expect((await ingest('2026-03-02T08:00:00Z')).code).toBe(1);
    failing = false;
    expect((await ingest('2026-03-02T09:00:00Z')).code).toBe(0);
    expect((await ingest('2026-03-02T10:00:00Z')).code).toBe(0);
    const listed = await runCli(['-q', '-c', configFile, 'webhooks', 'list'], {}, '2026-03-02T10:00:00Z');
    const types = listed.out
      .trim()
      .split('\n')
      .map((line) => line.split(/ {2}/)[4]);
    expect(types).toEqual(['source.recovered', 'source.failed']);
  });
});
