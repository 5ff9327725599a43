import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { verifySubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { CLI_SECRET, createCliWorkspace } from './support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const T3 = '2026-03-04T07:00:00Z';
const plusMinute = (iso: string) => new Date(new Date(iso).getTime() + 60_000).toISOString();
const READERS = ['ann@example.org', 'bad@example.org', 'cy@example.org'];

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});
async function sink(behaviour: Parameters<typeof startSmtpSink>[0] = {}): Promise<SmtpSink> {
  const started = await startSmtpSink(behaviour);
  sinks.push(started);
  return started;
}
const statusOf = async (ws: ReturnType<typeof createCliWorkspace>, url: string, now: string) =>
  JSON.parse((await ws.cli(['status', '--json'], { smtpUrl: url, now })).out).editions as Record<string, unknown>[];

describe('tidings send over real SMTP, through the CLI', () => {
  const tempDir = useTempDir();

  it('signs with the configured DKIM key, bounces an address refused twice, and skips it in the next edition', async () => {
    const server = await sink({
      onRcpt: (address) => (address === 'bad@example.org' ? { code: 550, text: '5.1.1 no such user' } : undefined),
    });
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS });
    const run = (slot: string) => ws.cli(['run', '--at', slot], { smtpUrl: server.url, now: plusMinute(slot) });

    ws.addArticles(T1);
    const first = await run(T1);
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toMatch(/2 accepted, 1 failed, 0 skipped/);
    const failed = await ws.cli(['deliveries', 'daily/2026-03-02T07:00', '--status', 'failed'], {
      smtpUrl: server.url,
      now: plusMinute(T1),
    });
    expect(failed.out).toMatch(/bad@example\.org\s+failed\s+1\s.*TRANSPORT_PERMANENT 550 5\.1\.1 no such user/);
    expect(failed.out.trim().split('\n')).toHaveLength(2);
    const [edition1] = await statusOf(ws, server.url, plusMinute(T1));
    expect(edition1).toMatchObject({
      edition: 'daily/2026-03-02T07:00',
      status: 'sent',
      accepted: 2,
      failed: 1,
      ambiguous: 0,
    });
    expect((edition1!.lastErrors as { email: string }[])[0]!.email).toBe('bad@example.org');

    // The message: DKIM from the key file verifies, Message-ID on the sender's domain, https one-click unsubscribe.
    const message = server.messages.find((m) => m.to[0] === 'ann@example.org')!;
    const resolver = async (name: string, type: string) => {
      if (name === 's1._domainkey.news.example.org' && type === 'TXT')
        return [[`v=DKIM1; k=rsa; p=${ws.dkimPublicKey}`]];
      throw Object.assign(new Error(`no record for ${name}`), { code: 'ENOTFOUND' });
    };
    // Verified at the (fixed) send time: the signature's x= lies 7 days after it, long before today.
    const verification = await dkimVerify(message.raw, { resolver, curTime: new Date(plusMinute(T1)) } as never);
    expect(verification.results[0]).toMatchObject({ signingDomain: 'news.example.org', status: { result: 'pass' } });
    const expired = await dkimVerify(message.raw, {
      resolver,
      curTime: new Date(new Date(T1).getTime() + 8 * 86_400_000),
    } as never);
    expect(expired.results[0]?.status.result).not.toBe('pass');
    const parsed = await simpleParser(message.raw);
    expect(parsed.messageId).toMatch(/^<[^@>]+@news\.example\.org>$/);
    const unsubscribe = /List-Unsubscribe: <(https:\/\/news\.example\.org\/u\/([^>]+))>/.exec(
      message.raw.toString('latin1'),
    );
    expect(unsubscribe).not.toBeNull();
    expect(verifySubscriberToken(unsubscribe![2]!, CLI_SECRET)).toMatchObject({
      newsletterId: 'daily',
      purpose: 'unsubscribe',
    });
    expect(message.raw.toString('latin1')).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    ws.addArticles(T2);
    expect((await run(T2)).out).toMatch(/2 accepted, 1 failed/);
    expect(server.rcptAttempts.get('bad@example.org')).toBe(2);

    // Refused twice in a row across editions: bounced, no longer sent to.
    ws.addArticles(T3);
    const third = await run(T3);
    expect(third.code).toBe(0);
    expect(third.out).toMatch(/2 accepted, 0 failed, 0 skipped/);
    expect(server.rcptAttempts.get('bad@example.org')).toBe(2);
    const list = await ws.cli(['subscribers', 'list'], { smtpUrl: server.url, now: plusMinute(T3) });
    expect(list.out).toMatch(/bad@example\.org.*bounced/);
  });

  it('pauses on a dead server with exit 1 and how to resume; the rerun sends each subscriber once and marks the edition sent', async () => {
    const dead = await sink();
    const deadUrl = dead.url;
    await sinks.pop()!.close();
    const ws = createCliWorkspace(tempDir(), {
      subscribers: READERS,
      delivery: { maxAttempts: 2, backoffInitial: '10ms', backoffMax: '20ms', maxConsecutiveFailures: 3 },
    });
    ws.addArticles(T1);
    const paused = await ws.cli(['run', '--at', T1], { smtpUrl: deadUrl, now: plusMinute(T1) });
    expect(paused.code).toBe(1);
    expect(paused.out).toContain('Sending paused: 3 failures in a row');
    // The printed command names the config file it ran with, and why it paused.
    expect(paused.out).toContain(`resume with: tidings -c ${ws.configFile} send daily --at 2026-03-02T07:00:00+00:00`);
    expect(paused.out).toMatch(/last: .*(ECONNREFUSED|connect)/i);
    expect((await statusOf(ws, deadUrl, plusMinute(T1)))[0]).toMatchObject({
      status: 'sending',
      accepted: 0,
      sending: 0,
    });

    const server = await sink();
    const resumed = await ws.cli(['send', 'daily', '--at', '2026-03-02T07:00:00+00:00'], {
      smtpUrl: server.url,
      now: plusMinute(T1),
    });
    expect(resumed.code, resumed.out).toBe(0);
    expect(server.messages.map((m) => m.to[0]).sort()).toEqual(READERS);
    expect((await statusOf(ws, server.url, plusMinute(T1)))[0]).toMatchObject({
      status: 'sent',
      accepted: 3,
      failed: 0,
      pending: 0,
    });

    // A sent edition rerun sends only to rows never claimed: here, nobody.
    const again = await ws.cli(['send', 'daily', '--at', T1], { smtpUrl: server.url, now: plusMinute(T1) });
    expect(again.out).toMatch(/0 accepted, 0 failed, 0 skipped, 3 already handled/);
    expect(server.messages).toHaveLength(3);
  });

  it('exits 1 and keeps the edition unsent while temporary failures wait for a rerun', async () => {
    let refuse = true;
    const server = await sink({
      onRcpt: (address) =>
        refuse && address === 'cy@example.org' ? { code: 451, text: '4.3.0 mailbox busy' } : undefined,
    });
    const ws = createCliWorkspace(tempDir(), {
      subscribers: READERS,
      delivery: { maxAttempts: 2, backoffInitial: '10ms', backoffMax: '20ms' },
    });
    ws.addArticles(T1);
    const first = await ws.cli(['run', '--at', T1], { smtpUrl: server.url, now: plusMinute(T1) });
    expect(first.code).toBe(1);
    expect(first.out).toContain('1 deliveries failed temporarily');
    expect(first.out).toContain(`tidings -c ${ws.configFile} send daily --at 2026-03-02T07:00:00+00:00`);
    expect((await statusOf(ws, server.url, plusMinute(T1)))[0]).toMatchObject({
      status: 'sending',
      accepted: 2,
      failed: 1,
    });

    refuse = false;
    const second = await ws.cli(['send', 'daily', '--at', T1], { smtpUrl: server.url, now: plusMinute(T1) });
    expect(second.code).toBe(0);
    expect((await statusOf(ws, server.url, plusMinute(T1)))[0]).toMatchObject({
      status: 'sent',
      accepted: 3,
      failed: 0,
    });
    expect(server.messages.map((m) => m.to[0]).sort()).toEqual(READERS);
  });

  it('refuses a late slot before building its edition, so its articles stay for the next one', async () => {
    const server = await sink();
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS });
    ws.addArticles(T1);
    const late = await ws.cli(['run', '--at', T1], { smtpUrl: server.url, now: '2026-03-02T19:00:00Z' });
    expect(late.code).toBe(1);
    expect(late.out).toMatch(/daily\/2026-03-02T07:00: the slot .* is 12\.0h in the past.*--force/);
    expect(await statusOf(ws, server.url, '2026-03-02T19:00:00Z')).toEqual([]);
    expect(server.messages).toHaveLength(0);

    const forced = await ws.cli(['send', 'daily', '--at', T1, '--force'], {
      smtpUrl: server.url,
      now: '2026-03-02T19:00:00Z',
    });
    expect(forced.code).toBe(0);
    expect(server.messages).toHaveLength(3);
  });

  it('--dry-run and --test leave the ledger and the slot alone; --limit claims only N; status lists drafts and skipped editions', async () => {
    const server = await sink();
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS });
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: server.url, now: plusMinute(T2) });
    // An edition with no articles: skipped as thin, and listed by status with the reason.
    expect((await cli(['run', '--at', T1, '--force'])).out).toMatch(/skipped, not sent \(thin: 0 article/);
    ws.addArticles(T2);
    expect((await cli(['ingest'])).code).toBe(0);

    const dry = await cli(['send', 'daily', '--at', T2, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Dry run for daily/2026-03-03T07:00: 3 would be sent, 0 skipped');
    // Progress is not the command's output: it goes to the log (quiet here), stdout keeps only the summary.
    expect(dry.out).not.toContain('"event"');
    expect(dry.err).not.toContain('"event"');

    const test = await cli([
      'send',
      'daily',
      '--at',
      T2,
      '--test',
      'editor@example.org',
      '--subscriber',
      'ann@example.org',
    ]);
    expect(test.code, test.err).toBe(0);
    expect(server.messages).toHaveLength(1);
    const copy = await simpleParser(server.messages[0]!.raw);
    expect(copy.subject).toMatch(/^\[TEST\] Test Daily/);
    expect(server.messages[0]!.to).toEqual(['editor@example.org']);
    // Its links name nobody: clicking them in a test copy cannot unsubscribe Ann.
    const token = /https:\/\/news\.example\.org\/u\/([^>\s]+)>/.exec(server.messages[0]!.raw.toString('latin1'))![1]!;
    expect(verifySubscriberToken(token, CLI_SECRET)).toMatchObject({ subscriberId: 0 });
    expect((await cli(['send', 'daily', '--at', T2, '--test', 'editor@example.org', '--limit', '1'])).code).toBe(2);
    const badTest = await cli(['send', 'daily', '--at', T2, '--test', 'not an address']);
    expect(badTest.code).toBe(2);
    expect(badTest.err).toContain('--test: not a usable e-mail address');

    const editions = await statusOf(ws, server.url, plusMinute(T2));
    // A dry run and a test copy look at the slot without deciding it: no edition is saved.
    expect(editions).toEqual([
      expect.objectContaining({
        edition: 'daily/2026-03-02T07:00',
        status: 'skipped',
        statusReason: expect.stringMatching(/^thin/),
      }),
    ]);
    expect((await cli(['edition', 'build', 'daily', '--at', T2])).code).toBe(0);
    expect(await statusOf(ws, server.url, plusMinute(T2))).toContainEqual(
      expect.objectContaining({ edition: 'daily/2026-03-03T07:00', status: 'draft', total: 0, pending: 0 }),
    );
    const table = (await cli(['status'])).out;
    expect(table).toMatch(
      /edition\s+status\s+accepted\s+failed\s+ambiguous\s+skipped\s+pending\s+in flight\s+total\s+unsubscribed\s+note/,
    );
    expect(table).toMatch(/daily\/2026-03-02T07:00\s+skipped\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+thin/);

    const limited = await cli(['send', 'daily', '--at', T2, '--limit', '2']);
    expect(limited.code).toBe(0);
    expect(limited.out).toContain('2 accepted');
    expect(limited.out).toContain('Stopped at --limit');
    expect(server.messages).toHaveLength(3);
    expect((await statusOf(ws, server.url, plusMinute(T2)))[0]).toMatchObject({ status: 'sending', accepted: 2 });
    expect((await cli(['send', 'daily', '--at', T2])).out).toMatch(
      /1 accepted, 0 failed, 0 skipped, 2 already handled/,
    );
    expect((await statusOf(ws, server.url, plusMinute(T2)))[0]).toMatchObject({ status: 'sent', accepted: 3 });

    const unknown = await cli(['deliveries', 'daily/2031-01-01T00:00']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no edition "daily/2031-01-01T00:00"');
    expect((await cli(['run', '--newsletter', 'dialy'])).code).toBe(2);
  });

  it('`tidings run` without --at sends the edition of the minute the job started, however long ingest takes', async () => {
    const server = await sink();
    const ws = createCliWorkspace(tempDir(), { subscribers: READERS });
    ws.addArticles(T1);
    // The first reading is the job's start; every later one is ten minutes on, as after a slow ingest.
    let readings = 0;
    const clock = { now: () => new Date(new Date(T1).getTime() + (readings++ === 0 ? 20_000 : 600_000)) };
    const output: string[] = [];
    const stream = { write: (text: string) => output.push(text) } as unknown as NodeJS.WritableStream;
    const code = await main(['node', 'tidings', '-q', '-c', ws.configFile, 'run'], {
      env: { SMTP_URL: server.url },
      stdout: stream,
      stderr: stream,
      clock,
    });
    expect(code, output.join('')).toBe(0);
    expect(output.join('')).toContain('daily/2026-03-02T07:00: 3 accepted');
  });
});
