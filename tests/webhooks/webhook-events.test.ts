import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { listenWebServer } from '../../src/cli/commands/web-server-wiring.ts';
import { createOpsMetrics } from '../../src/web/ops/metrics.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSubscriberWorkspace, type SubscriberWorkspace } from '../app/support/subscriber-workspace.ts';
import { newSecret, startReceiver, type Receiver } from './support/receiver.ts';

const T1 = '2026-03-02T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/bounces');

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
const tempDir = useTempDir('tidings-webhook-events-');

function fixture(name: 'hard' | 'complaint', verp: string, recipient: string): Buffer {
  const raw = readFileSync(path.join(FIXTURES, `${name}.eml`), 'latin1');
  return Buffer.from(raw.replaceAll('{{VERP}}', verp).replaceAll('{{RCPT}}', recipient), 'latin1');
}

/** The subscriber workspace with one webhook endpoint at `url`, its secret in CRM_WEBHOOK_SECRET. */
async function setUp(url: string, extra = ''): Promise<{ ws: SubscriberWorkspace; sink: SmtpSink }> {
  const sink = await startSmtpSink();
  closers.push(() => sink.close());
  const people = ['ann@example.org', 'cy@example.org'].map((email) => ({ email, newsletters: ['daily'] }));
  const ws = createSubscriberWorkspace(tempDir(), people, { returnPath: 'bounces@news.example.org' });
  closers.push(() => ws.close());
  appendFileSync(
    ws.configFile,
    `fetch:\n  allowPrivateNetworks: true\nwebhooks:\n${extra}  endpoints:\n    - name: crm\n      url: ${url}\n      secretEnv: CRM_WEBHOOK_SECRET\n`,
  );
  expect((await ws.cli(['subscribers', 'sync'], sink.url, T1)).code).toBe(0);
  return { ws, sink };
}

/** `tidings webhooks …` with the secret in the environment, at the real time (receivers check the timestamp). */
const webhooksCli = (ws: SubscriberWorkspace, args: string[], secret: string, now = new Date().toISOString()) =>
  runCli(['-q', '-c', ws.configFile, 'webhooks', ...args], { CRM_WEBHOOK_SECRET: secret }, now);

describe('webhook events from real operations', () => {
  it('an edition sent, a bounce and a complaint processed, a signup confirmed through the confirm route: each posted once, signed', async () => {
    const secret = newSecret();
    const receiver: Receiver = await startReceiver(secret);
    closers.push(() => receiver.close());
    const { ws, sink } = await setUp(receiver.url);

    ws.addArticles(T1);
    const run = await ws.cli(['run', '--at', T1], sink.url, later(T1));
    expect(run.code, run.out + run.err).toBe(0);
    const verpOf = (email: string) => sink.messages.filter((m) => m.to.includes(email)).at(-1)!.from;
    const maildir = path.join(ws.dir, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
    writeFileSync(
      path.join(maildir, 'new', '1.hard.host'),
      fixture('hard', verpOf('ann@example.org'), 'ann@example.org'),
    );
    writeFileSync(
      path.join(maildir, 'new', '2.complaint.host'),
      fixture('complaint', verpOf('cy@example.org'), 'cy@example.org'),
    );
    expect((await ws.cli(['bounces', 'process', maildir], sink.url, later(T1, 60))).code).toBe(0);

    const { service, ctx } = ws.service(sink.url, later(T1, 90));
    await service.requestSignup('daily', { email: 'eve@example.org', categories: ['science'] }, { ip: '198.51.100.7' });
    await service.drain();
    const mail = await simpleParser(sink.messages.filter((m) => m.to.includes('eve@example.org'))[0]!.raw);
    const token = /\/s\/daily\/confirm\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    const server = await listenWebServer(ctx);
    closers.push(() => server.close());
    const confirm = await fetch(`${server.address}/s/daily/confirm/${token}`, { method: 'POST' });
    expect(confirm.status).toBe(200);
    // Twice: the second confirmation changes nothing and fires nothing.
    expect((await fetch(`${server.address}/s/daily/confirm/${token}`, { method: 'POST' })).status).toBe(200);

    // Nothing was posted inline: the events wait in the queue for the dispatcher.
    expect(receiver.received).toHaveLength(0);
    const delivered = await webhooksCli(ws, ['deliver'], secret);
    expect(delivered.code, delivered.out + delivered.err).toBe(0);
    expect(delivered.out).toContain('webhooks: 9 delivered, 0 to retry, 0 failed for good, 0 pending');

    expect(receiver.received.map((hook) => hook.error)).toEqual(Array(9).fill(null));
    const events = receiver.received.map((hook) => hook.verified as { type: string; data: Record<string, unknown> });
    // `run` built (and sent, to nobody) the weekly edition too.
    expect(events.map((event) => event.type).sort()).toEqual([
      'edition.prepared',
      'edition.prepared',
      'edition.sent',
      'edition.sent',
      'subscriber.bounced',
      'subscriber.complained',
      'subscriber.confirmed',
      'subscriber.created',
      'subscriber.unsubscribed',
    ]);
    const byType = new Map(
      events.filter((event) => event.data.newsletter !== 'weekly').map((event) => [event.type, event.data]),
    );
    const editionId = byType.get('edition.sent')!.edition as string;
    expect(editionId).toMatch(/^daily\//);
    expect(byType.get('edition.sent')).toMatchObject({ newsletter: 'daily', deliveries: { accepted: 2 } });
    expect(byType.get('edition.prepared')).toMatchObject({ edition: editionId, articles: 2 });
    expect(byType.get('subscriber.bounced')).toMatchObject({
      email: 'ann@example.org',
      edition: editionId,
      status: '5.1.1',
    });
    expect(byType.get('subscriber.complained')).toMatchObject({ email: 'cy@example.org', status: 'abuse' });
    expect(byType.get('subscriber.unsubscribed')).toMatchObject({ email: 'cy@example.org', newsletter: 'daily' });
    expect(byType.get('subscriber.created')).toMatchObject({ email: 'eve@example.org', status: 'unconfirmed' });
    expect(byType.get('subscriber.confirmed')).toMatchObject({ email: 'eve@example.org', newsletter: 'daily' });
    expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(9);

    const listed = await webhooksCli(ws, ['list', '--status', 'delivered'], secret);
    expect(listed.out.trim().split('\n')).toHaveLength(9);
    expect(listed.out).toMatch(/^\d+ {2}delivered {2}1 attempt\(s\) {2}crm {2}edition\.sent {2}msg_/m);
  });

  it('a send is neither slowed nor stopped by a receiver that never answers; the delivery waits in the queue', async () => {
    const sockets: Socket[] = [];
    const dead = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          dead.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/hooks`;
    const { ws, sink } = await setUp(url, '  timeout: 1s\n');
    ws.addArticles(T1);
    const run = await ws.cli(['run', '--at', T1], sink.url, later(T1));
    expect(run.code, run.out + run.err).toBe(0);
    expect(sink.messages.filter((m) => m.to.includes('ann@example.org'))).toHaveLength(1);
    // The send did not connect to the receiver at all: events are only queued.
    expect(sockets).toHaveLength(0);
    const secret = newSecret();
    const pending = await webhooksCli(ws, ['list', '--status', 'pending'], secret);
    expect(pending.out).toMatch(/edition\.prepared/);
    expect(pending.out).toMatch(/edition\.sent/);

    // Within the day of retries (the rows were queued at the send's time).
    const attempt = await webhooksCli(ws, ['deliver'], secret, later(T1, 2));
    expect(attempt.code, attempt.out + attempt.err).toBe(0);
    expect(attempt.out).toContain('webhooks: 0 delivered, 4 to retry, 0 failed for good, 4 pending');
    expect(sockets.length).toBeGreaterThan(0);
    const after = await webhooksCli(ws, ['list'], secret, later(T1, 3));
    expect(after.out).toMatch(
      /pending {2}1 attempt\(s\) {2}crm {2}edition\.sent .* — \S+: no complete answer within 1000 ms/,
    );

    const waiting = await ws.cli(['status'], sink.url, later(T1, 3));
    expect(waiting.out).toContain('webhooks: 4 pending, 0 delivered');
    // A day later the receiver is still dead: the deliveries are given up, and say so everywhere.
    const gaveUp = await webhooksCli(ws, ['deliver'], secret, later(T1, 24 * 60 + 5));
    expect(gaveUp.code).toBe(1);
    expect(gaveUp.out).toContain('webhooks: 0 delivered, 0 to retry, 4 failed for good, 0 pending');
    const status = await ws.cli(['status'], sink.url, later(T1, 24 * 60 + 6));
    expect(status.out).toContain(
      'webhooks: 4 failed for good (tidings webhooks list --status failed; tidings webhooks retry --all), 0 pending, 0 delivered',
    );
    const json = JSON.parse((await ws.cli(['status', '--json'], sink.url, later(T1, 24 * 60 + 6))).out);
    expect(json.webhooks).toEqual({ pending: 0, delivered: 0, failed: 4, failedAttempts: 8 });
    const { ctx } = ws.service(sink.url, later(T1, 24 * 60 + 7));
    const metrics = await createOpsMetrics({
      readings: ctx.store,
      clock: ctx.clock,
      newsletterIds: [],
      nextRunFor: () => null,
      processMetrics: false,
    }).render();
    expect(metrics).toContain('tidings_webhooks_failed 4');
    expect(metrics).toContain('tidings_webhooks_pending 0');
    expect(metrics).toContain('tidings_webhook_deliveries_total{outcome="error"} 8');
    expect(metrics).toContain('tidings_webhook_deliveries_total{outcome="failed"} 4');
    const retried = await webhooksCli(ws, ['retry', '--all'], secret, later(T1, 24 * 60 + 8));
    expect(retried.out).toContain('4 failed webhook deliveries queued again');

    // The next day has no new article: the thin edition is skipped, and that is an event too.
    const T2 = later(T1, 24 * 60);
    expect((await ws.cli(['run', '--at', T2], sink.url, later(T2, 5))).code).toBe(0);
    const skipped = await webhooksCli(ws, ['list', '--status', 'pending'], secret, later(T2, 6));
    expect(skipped.out).toMatch(/crm {2}edition\.skipped/);
    expect(skipped.out).not.toMatch(/edition\.missed/);

    // No secret in the environment: the dispatcher refuses to start, naming the variable.
    const unset = await runCli(['-q', '-c', ws.configFile, 'webhooks', 'deliver'], {}, later(T1, 5));
    expect(unset.code).toBe(2);
    expect(unset.err).toContain(
      'webhooks.endpoints[0].secretEnv: the environment variable CRM_WEBHOOK_SECRET is not set',
    );
  });
});
