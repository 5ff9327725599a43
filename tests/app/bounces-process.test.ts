import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFeedbackReport } from '../../src/delivery/bounce-report.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSubscriberWorkspace, type SubscriberWorkspace } from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/bounces');

/** A fixture report with the VERP address and the recipient filled in. */
function fixture(name: 'hard' | 'soft' | 'complaint' | 'malformed', verp: string, recipient: string): Buffer {
  return Buffer.from(
    readFileSync(path.join(FIXTURES, `${name}.eml`), 'latin1')
      .replaceAll('{{VERP}}', verp)
      .replaceAll('{{RCPT}}', recipient),
    'latin1',
  );
}

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-bounces-');

describe('reading reports', () => {
  it('tells hard, soft, complaint and malformed apart and finds the VERP address in each', () => {
    const verp = 'bounces+1-abcdefghijklm@news.example.org';
    expect(readFeedbackReport(fixture('hard', verp, 'a@example.org'))).toMatchObject({
      kind: 'bounce',
      severity: 'hard',
      status: '5.1.1',
      finalRecipient: 'a@example.org',
      diagnostic: expect.stringMatching(/^550 5\.1\.1 .*User unknown/),
    });
    expect(readFeedbackReport(fixture('soft', verp, 'a@example.org'))).toMatchObject({
      kind: 'bounce',
      severity: 'soft',
      status: '4.2.2',
    });
    expect(readFeedbackReport(fixture('complaint', verp, 'a@example.org'))).toMatchObject({
      kind: 'complaint',
      feedbackType: 'abuse',
      originalRecipient: 'a@example.org',
    });
    for (const name of ['hard', 'soft', 'complaint'] as const) {
      expect((readFeedbackReport(fixture(name, verp, 'a@example.org')) as { addresses: string[] }).addresses).toContain(
        verp,
      );
    }
    expect(readFeedbackReport(fixture('malformed', verp, 'a@example.org'))).toEqual({
      kind: 'malformed',
      reason: 'Status "permanent" is not a status code such as 5.1.1',
    });
    expect(readFeedbackReport(Buffer.from('From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n'))).toMatchObject({
      kind: 'malformed',
      reason: expect.stringMatching(/not a multipart\/report/),
    });
  });
});

describe('tidings bounces process', () => {
  it('counts hard bounces toward bounceAfter, records soft ones, unsubscribes and suppresses on a complaint, and sorts the Maildir', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const people = ['ann@example.org', 'bo@example.org', 'cy@example.org', 'dee@example.org'];
    const ws = createSubscriberWorkspace(
      tempDir(),
      people.map((email) => ({ email, newsletters: ['daily'] })),
      { returnPath: 'bounces@news.example.org' },
    );
    workspaces.push(ws);
    expect((await ws.cli(['subscribers', 'sync'], sink.url, T1)).code).toBe(0);
    ws.addArticles(T1);
    const run = await ws.cli(['run', '--at', T1], sink.url, later(T1));
    expect(run.code, run.out + run.err).toBe(0);
    const verpOf = (email: string) => sink.messages.filter((m) => m.to.includes(email)).at(-1)!.from;
    for (const email of people) expect(verpOf(email)).toMatch(/^bounces\+[0-9a-z]+-[a-z2-7]{13}@news\.example\.org$/);

    const maildir = path.join(ws.dir, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
    const drop = (name: string, raw: Buffer) => writeFileSync(path.join(maildir, 'new', name), raw);
    drop('1001.hard.host', fixture('hard', verpOf('ann@example.org'), 'ann@example.org'));
    drop('1002.soft.host', fixture('soft', verpOf('bo@example.org'), 'bo@example.org'));
    drop('1003.complaint.host', fixture('complaint', verpOf('cy@example.org'), 'cy@example.org'));
    drop('1004.malformed.host', fixture('malformed', verpOf('dee@example.org'), 'dee@example.org'));
    // A made-up address for dee: the signature does not match, nothing happens to dee.
    drop(
      '1005.forged.host',
      fixture('hard', verpOf('dee@example.org').replace(/-[a-z2-7]{13}@/, '-aaaaaaaaaaaaa@'), 'dee@example.org'),
    );
    // A second report of ann's bounce (a relay and the final server both wrote one): counted once.
    drop('1006.again.host', fixture('hard', verpOf('ann@example.org'), 'ann@example.org'));

    const result = await ws.cli(['bounces', 'process', maildir], sink.url, later(T1, 60));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/new\/1001\.hard\.host: hard-bounce \(daily\/\S+ subscriber 1\): 5\.1\.1, 1 in a row\n/);
    expect(result.out).toMatch(
      /new\/1002\.soft\.host: soft-bounce \(daily\/\S+ subscriber 2\): 4\.2\.2 452 4\.2\.2 Mailbox full/,
    );
    expect(result.out).toMatch(
      /new\/1003\.complaint\.host: complaint \(daily\/\S+ subscriber 3\): abuse: unsubscribed from daily and suppressed/,
    );
    expect(result.out).toMatch(/new\/1006\.again\.host: seen before/);
    expect(result.out).toContain('4 processed (moved to .Processed/), 2 failed (moved to .Failed/)');
    expect(result.err).toMatch(/1004\.malformed\.host: moved to \.Failed\/: Status "permanent" is not a status code/);
    expect(result.err).toMatch(/1005\.forged\.host: moved to \.Failed\/: its VERP address matches no delivery/);
    expect(readdirSync(path.join(maildir, 'new'))).toEqual([]);
    expect(readdirSync(path.join(maildir, '.Processed', 'cur')).sort()).toEqual([
      '1001.hard.host:2,S',
      '1002.soft.host:2,S',
      '1003.complaint.host:2,S',
      '1006.again.host:2,S',
    ]);
    expect(readdirSync(path.join(maildir, '.Failed', 'cur')).sort()).toEqual([
      '1004.malformed.host:2,S',
      '1005.forged.host:2,S',
    ]);

    const listed = (await ws.cli(['subscribers', 'list'], sink.url, later(T1, 61))).out;
    expect(listed).toMatch(/cy@example\.org.*daily:unsubscribed/);
    expect(listed).toMatch(/ann@example\.org.*daily:active/);
    expect(listed).toMatch(/dee@example\.org.*daily:active/);
    expect((await ws.cli(['suppressions', 'list'], sink.url, later(T1, 61))).out).toContain('1 suppressed address');

    const status = await ws.cli(['status'], sink.url, later(T1, 62));
    expect(status.out).toMatch(/daily\/\S+: 1 hard bounce \(25\.00% of accepted\), 1 soft, 1 complaint \(25\.00%\)/);
    expect(status.out).toMatch(/WARNING: daily\/\S+: complaint rate 25\.00% is above 0\.3%/);
    const json = JSON.parse((await ws.cli(['status', '--json'], sink.url, later(T1, 62))).out) as {
      editions: { feedback: Record<string, number> }[];
    };
    expect(json.editions[0]!.feedback).toMatchObject({
      hardBounces: 1,
      softBounces: 1,
      complaints: 1,
      bounceRate: 0.25,
      complaintRate: 0.25,
    });

    // The next edition: cy gets nothing; ann bounces again, the second in a row: marked bounced (bounceAfter 2).
    ws.addArticles(T2);
    expect((await ws.cli(['run', '--at', T2], sink.url, later(T2))).code).toBe(0);
    expect(sink.messages.filter((m) => m.to.includes('cy@example.org'))).toHaveLength(1);
    drop('2001.hard.host', fixture('hard', verpOf('ann@example.org'), 'ann@example.org'));
    const second = await ws.cli(['bounces', 'process', maildir], sink.url, later(T2, 60));
    expect(second.code).toBe(0);
    expect(second.out).toMatch(
      /2001\.hard\.host: hard-bounce \(daily\/2026-03-03\S+ subscriber 1\): 5\.1\.1, 2 in a row: marked bounced/,
    );
    expect((await ws.cli(['subscribers', 'list'], sink.url, later(T2, 61))).out).toMatch(/ann@example\.org.*bounced/);
    expect(existsSync(path.join(maildir, '.Processed', 'cur', '2001.hard.host:2,S'))).toBe(true);
  });

  it('refuses to run without transport.returnPath', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createSubscriberWorkspace(tempDir(), [{ email: 'ann@example.org', newsletters: ['daily'] }]);
    workspaces.push(ws);
    const result = await ws.cli(['bounces', 'process', path.join(ws.dir, 'Maildir')], sink.url, T1);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/transport\.returnPath: is required/);
  });
});
