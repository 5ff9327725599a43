import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/context.ts';
import { createBounceWork } from '../../src/app/process-bounces-from-context.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { createSilentLogger } from '../../src/core/logger.ts';
import { parseMailboxLocation } from '../../src/core/mailbox-location.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { dovecotMissing, freePort, startDovecot, type DovecotServer } from '../delivery/support/dovecot-server.ts';
import { startFaultyImapServer } from '../delivery/support/faulty-imap-server.ts';
import { runCli } from '../helpers/cli-run.ts';
import { createSubscriberWorkspace, type SubscriberWorkspace } from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const later = (minutes: number) => new Date(new Date(T1).getTime() + minutes * 60_000).toISOString();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/bounces');
const RETURN_PATH = 'bounces@news.example.org';
const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../templates');

/** A fixture report (the Maildir tests' own) with the VERP address and the recipient filled in. */
function fixture(name: 'hard' | 'soft' | 'complaint' | 'malformed', verp: string, recipient: string): Buffer {
  return Buffer.from(
    readFileSync(path.join(FIXTURES, `${name}.eml`), 'latin1')
      .replaceAll('{{VERP}}', verp)
      .replaceAll('{{RCPT}}', recipient),
    'latin1',
  );
}

/** The feedback counts `tidings status --json` shows for the one edition sent here. */
async function feedback(cli: Cli): Promise<Record<string, number>> {
  const status = await cli(['status', '--json'], later(500));
  return (JSON.parse(status.out) as { editions: { feedback: Record<string, number> }[] }).editions[0]!.feedback;
}

/** Maildir names without the `:2,flags` info Dovecot adds once it has seen a message. */
const unique = (names: string[]) => names.map((name) => name.split(':')[0]);

type Cli = (
  args: string[],
  now: string,
  env?: Record<string, string | undefined>,
) => Promise<{ code: number; out: string; err: string }>;

describe('parsing the mailbox argument', () => {
  it('tells a Maildir from an IMAP URL, picks the protection, and refuses passwords and other schemes', () => {
    expect(parseMailboxLocation('/var/mail/bounces')).toEqual({ kind: 'maildir', path: '/var/mail/bounces' });
    expect(parseMailboxLocation('imaps://bounces%40example.org@mail.example.org/Bounces%20In')).toMatchObject({
      kind: 'imap',
      host: 'mail.example.org',
      port: 993,
      user: 'bounces@example.org',
      mailbox: 'Bounces In',
      security: 'tls',
    });
    expect(parseMailboxLocation('imaps://b@mail.example.org:10993')).toMatchObject({
      port: 10993,
      mailbox: 'INBOX',
      security: 'tls',
    });
    // imap:// to a remote host must upgrade with STARTTLS; only loopback may stay in cleartext.
    expect(parseMailboxLocation('imap://b@mail.example.org/INBOX')).toMatchObject({ port: 143, security: 'starttls' });
    for (const host of ['127.0.0.1', 'localhost', '[::1]'])
      expect(parseMailboxLocation(`imap://b@${host}:1143/INBOX`)).toMatchObject({ security: 'cleartext' });
    expect(parseMailboxLocation('imaps://b:secret@mail.example.org/INBOX')).toMatch(/the URL holds a password/);
    expect(parseMailboxLocation('imaps://mail.example.org/INBOX')).toMatch(/names no user/);
    expect(parseMailboxLocation('pop3://b@mail.example.org')).toMatch(/pop3:\/\/ is not a mailbox/);
  });
});

describe('an IMAP server that misbehaves', () => {
  let dir: string;
  let ws: SubscriberWorkspace;
  let cli: Cli;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-imap-faults-'));
    ws = createSubscriberWorkspace(dir, [{ email: 'ann@example.org', newsletters: ['daily'] }], {
      returnPath: RETURN_PATH,
    });
    appendFileSync(ws.configFile, 'bounces:\n  timeout: 1s\n');
    cli = (args, now, env = {}) =>
      runCli(
        ['-q', '-c', ws.configFile, ...args],
        { SMTP_URL: 'smtp://127.0.0.1:1', TIDINGS_BOUNCES_PASSWORD: 'pw-not-to-be-printed', ...env } as Record<
          string,
          string
        >,
        now,
      );
  });
  afterAll(() => {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a server that never greets: a timeout naming the mailbox, exit 1', async () => {
    const server = await startFaultyImapServer('silent');
    try {
      const result = await cli(['bounces', 'process', `imap://bounces@127.0.0.1:${server.port}/INBOX`], T1);
      expect(result.code).toBe(1);
      expect(result.err).toContain(
        `error: [MAILBOX_FAILED] imap://bounces@127.0.0.1:${server.port}/INBOX: cannot connect: the server did not answer within 1s (bounces.timeout)`,
      );
      expect(server.connections()).toBe(1);
      expect(result.out + result.err).not.toContain('pw-not-to-be-printed');
    } finally {
      await server.close();
    }
  });

  it('a server that hangs up after its greeting: the connection closed, exit 1', async () => {
    const server = await startFaultyImapServer('drop-after-greeting');
    try {
      const result = await cli(['bounces', 'process', `imap://bounces@127.0.0.1:${server.port}/INBOX`], T1);
      expect(result.code).toBe(1);
      expect(result.err).toContain(
        `error: [MAILBOX_FAILED] imap://bounces@127.0.0.1:${server.port}/INBOX: cannot connect: the server closed the connection`,
      );
    } finally {
      await server.close();
    }
  });

  it('nothing listening: connection refused, exit 1', async () => {
    const port = await freePort();
    const result = await cli(['bounces', 'process', `imaps://bounces@127.0.0.1:${port}/INBOX`], T1);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `error: [MAILBOX_FAILED] imaps://bounces@127.0.0.1:${port}/INBOX: cannot connect: connection refused`,
    );
  });

  it('a password in the URL or none in the environment is refused before connecting (exit 2)', async () => {
    const inUrl = await cli(['bounces', 'process', 'imaps://bounces:hunter2@127.0.0.1:1/INBOX'], T1);
    expect(inUrl.code).toBe(2);
    expect(inUrl.err).toMatch(/\[USAGE\] bounces process: the URL holds a password/);
    const unset = await cli(['bounces', 'process', 'imaps://bounces@127.0.0.1:1/INBOX'], T1, {
      TIDINGS_BOUNCES_PASSWORD: undefined,
    });
    expect(unset.code).toBe(2);
    expect(unset.err).toMatch(
      /bounces\.passwordEnv: the environment variable TIDINGS_BOUNCES_PASSWORD is not set; it holds the password for imaps:\/\/bounces@127\.0\.0\.1:1\/INBOX/,
    );
  });
});

const missing = dovecotMissing();
if (missing) console.warn(`bounces-imap.test.ts: skipping the Dovecot tests: ${missing}`);

describe.skipIf(missing !== null)(`bounces from a real Dovecot${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dir: string;
  let dovecot: DovecotServer;
  let sink: SmtpSink;
  let ws: SubscriberWorkspace;
  let cli: Cli;
  let verpOf: (email: string) => string;
  const people = ['ann', 'bo', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal'].map((name) => `${name}@example.org`);
  const imaps = () => `imaps://${dovecot.user}@127.0.0.1:${dovecot.imapsPort}/INBOX`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-imap-'));
    dovecot = await startDovecot();
    sink = await startSmtpSink();
    ws = createSubscriberWorkspace(
      dir,
      people.map((email) => ({ email, newsletters: ['daily'] })),
      { returnPath: RETURN_PATH },
    );
    appendFileSync(ws.configFile, `bounces:\n  tlsCa: ${dovecot.caFile}\n  timeout: 10s\n`);
    cli = (args, now, env = {}) =>
      runCli(
        ['-q', '-c', ws.configFile, ...args],
        { SMTP_URL: sink.url, TIDINGS_BOUNCES_PASSWORD: dovecot.password, ...env } as Record<string, string>,
        now,
      );
    expect((await cli(['subscribers', 'sync'], T1)).code).toBe(0);
    ws.addArticles(T1);
    const run = await cli(['run', '--at', T1], later(1));
    expect(run.code, run.out + run.err).toBe(0);
    verpOf = (email) => sink.messages.filter((m) => m.to.includes(email)).at(-1)!.from;
  }, 180_000);
  afterAll(async () => {
    ws?.close();
    await sink?.close();
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the INBOX over imaps://, acts on each report, moves it to Tidings/Processed or Tidings/Failed (seen), and a rerun finds nothing', async () => {
    dovecot.deliver('1001.hard.host', fixture('hard', verpOf('ann@example.org'), 'ann@example.org'));
    dovecot.deliver('1002.soft.host', fixture('soft', verpOf('bo@example.org'), 'bo@example.org'));
    dovecot.deliver('1003.complaint.host', fixture('complaint', verpOf('cy@example.org'), 'cy@example.org'));
    dovecot.deliver('1004.malformed.host', fixture('malformed', verpOf('dee@example.org'), 'dee@example.org'));
    dovecot.deliver(
      '1005.forged.host',
      fixture('hard', verpOf('dee@example.org').replace(/-[a-z2-7]{13}@/, '-aaaaaaaaaaaaa@'), 'dee@example.org'),
    );
    // The same bounce reported twice (the same Message-ID): counted once.
    dovecot.deliver('1006.again.host', fixture('hard', verpOf('ann@example.org'), 'ann@example.org'));

    const result = await cli(['bounces', 'process', imaps()], later(60));
    expect(result.code, result.err).toBe(1);
    expect(result.out).toMatch(/^uid \d+: hard-bounce \(daily\/\S+ subscriber 1\): 5\.1\.1, 1 in a row$/m);
    expect(result.out).toMatch(
      /^uid \d+: seen before \(daily\/\S+ subscriber 1\): hard-bounce 5\.1\.1 already recorded$/m,
    );
    expect(result.out).toMatch(/^uid \d+: soft-bounce \(daily\/\S+ subscriber 2\): 4\.2\.2 452 4\.2\.2 Mailbox full/m);
    expect(result.out).toMatch(
      /^uid \d+: complaint \(daily\/\S+ subscriber 3\): abuse: unsubscribed from daily and suppressed$/m,
    );
    expect(result.out).toContain('4 processed (moved to Tidings/Processed/), 2 failed (moved to Tidings/Failed/)');
    expect(result.err).toMatch(/uid \d+: moved to Tidings\/Failed\/: Status "permanent" is not a status code/);
    expect(result.err).toMatch(/uid \d+: moved to Tidings\/Failed\/: its VERP address matches no delivery/);
    expect(dovecot.messages('')).toEqual([]);
    expect(dovecot.messages('Tidings.Processed')).toHaveLength(4);
    expect(dovecot.messages('Tidings.Failed')).toHaveLength(2);
    for (const name of [...dovecot.messages('Tidings.Processed'), ...dovecot.messages('Tidings.Failed')])
      expect(name).toMatch(/:2,[A-Z]*S/);
    expect(await feedback(cli)).toMatchObject({ hardBounces: 1, softBounces: 1, complaints: 1 });
    expect((await cli(['subscribers', 'list'], later(61))).out).toMatch(/cy@example\.org.*daily:unsubscribed/);

    const again = await cli(['bounces', 'process', imaps()], later(70));
    expect(again.code).toBe(0);
    expect(again.out).toBe('0 processed (moved to Tidings/Processed/), 0 failed (moved to Tidings/Failed/)\n');
  });

  it('a connection dropped at the move, after the report was recorded: the message stays; the rerun finds it recorded and moves it', async () => {
    dovecot.deliver('2001.hard.host', fixture('hard', verpOf('eve@example.org'), 'eve@example.org'));
    // Cleartext imap:// is allowed to loopback only; here it lets the proxy read the commands.
    const proxy = await startFaultyImapServer({
      proxyTo: dovecot.imapPort,
      dropWhen: (command) => / UID MOVE /i.test(command),
    });
    try {
      const url = `imap://${dovecot.user}@127.0.0.1:${proxy.port}/INBOX`;
      const cut = await cli(['bounces', 'process', url], later(80));
      expect(cut.code).toBe(1);
      expect(cut.err).toMatch(
        new RegExp(
          `error: \\[MAILBOX_FAILED\\] ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot move uid \\d+ to Tidings/Processed: the server closed the connection`,
        ),
      );
      expect(cut.out + cut.err).not.toContain(dovecot.password);
      expect(dovecot.messages('')).toHaveLength(1);
      expect(await feedback(cli)).toMatchObject({ hardBounces: 2 });
    } finally {
      await proxy.close();
    }
    const rerun = await cli(
      ['bounces', 'process', `imap://${dovecot.user}@127.0.0.1:${dovecot.imapPort}/INBOX`],
      later(90),
    );
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toMatch(
      /^uid \d+: seen before \(daily\/\S+ subscriber 5\): hard-bounce 5\.1\.1 already recorded$/m,
    );
    expect(dovecot.messages('')).toEqual([]);
    expect(await feedback(cli)).toMatchObject({ hardBounces: 2 });
  });

  it('a connection dropped while fetching the second message: the first is done, the second is neither recorded nor moved', async () => {
    dovecot.deliver('3001.soft.host', fixture('soft', verpOf('fay@example.org'), 'fay@example.org'));
    dovecot.deliver('3002.soft.host', fixture('soft', verpOf('gus@example.org'), 'gus@example.org'));
    let fetches = 0;
    const proxy = await startFaultyImapServer({
      proxyTo: dovecot.imapPort,
      dropWhen: (command) => /BODY\.PEEK\[\]/i.test(command) && ++fetches === 2,
    });
    try {
      const cut = await cli(['bounces', 'process', `imap://${dovecot.user}@127.0.0.1:${proxy.port}/INBOX`], later(100));
      expect(cut.code).toBe(1);
      expect(cut.out).toMatch(/^uid \d+: soft-bounce \(daily\/\S+ subscriber [67]\): 4\.2\.2/m);
      expect(cut.err).toMatch(
        /error: \[MAILBOX_FAILED\] imap:\/\/bounces@127\.0\.0\.1:\d+\/INBOX: cannot read uid \d+: the server closed the connection/,
      );
      expect(dovecot.messages('')).toHaveLength(1);
      expect(await feedback(cli)).toMatchObject({ softBounces: 2 });
    } finally {
      await proxy.close();
    }
    const rerun = await cli(['bounces', 'process', imaps()], later(110));
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toContain('1 processed');
    expect(await feedback(cli)).toMatchObject({ softBounces: 3 });
    expect(dovecot.messages('')).toEqual([]);
  });

  it('a server that stops answering in the middle of the run: a timeout naming the mailbox; nothing recorded, nothing moved', async () => {
    dovecot.deliver('3501.hard.host', fixture('hard', verpOf('fay@example.org'), 'fay@example.org'));
    const quick = path.join(ws.dir, 'quick.config.yaml');
    writeFileSync(quick, readFileSync(ws.configFile, 'utf8').replace('  timeout: 10s\n', '  timeout: 1s\n'));
    const proxy = await startFaultyImapServer({
      proxyTo: dovecot.imapPort,
      dropWhen: (command) => /BODY\.PEEK\[\]/i.test(command),
      stall: true,
    });
    try {
      const url = `imap://${dovecot.user}@127.0.0.1:${proxy.port}/INBOX`;
      const hung = await runCli(
        ['-q', '-c', quick, 'bounces', 'process', url],
        { SMTP_URL: sink.url, TIDINGS_BOUNCES_PASSWORD: dovecot.password },
        later(115),
      );
      expect(hung.code).toBe(1);
      expect(hung.err).toMatch(
        /error: \[MAILBOX_FAILED\] imap:\/\/bounces@127\.0\.0\.1:\d+\/INBOX: cannot read uid \d+: the server did not answer within 1s \(bounces\.timeout\)/,
      );
    } finally {
      await proxy.close();
    }
    expect(unique(dovecot.messages(''))).toEqual(['3501.hard.host']);
    expect(await feedback(cli)).toMatchObject({ hardBounces: 2 });
    // Read for real, so the next test starts from an empty INBOX.
    const rerun = await cli(['bounces', 'process', imaps()], later(116));
    expect(rerun.out).toMatch(/^uid \d+: hard-bounce \(daily\/\S+ subscriber 6\): 5\.1\.1, 1 in a row$/m);
    expect(dovecot.messages('')).toEqual([]);
  });

  it('an untrusted certificate, a wrong password or a missing mailbox fail with the mailbox named, and the message stays', async () => {
    dovecot.deliver('4001.hard.host', fixture('hard', verpOf('hal@example.org'), 'hal@example.org'));
    const noCa = path.join(ws.dir, 'no-ca.config.yaml');
    writeFileSync(noCa, readFileSync(ws.configFile, 'utf8').replace(/ {2}tlsCa: .*\n/, ''));
    const untrusted = await runCli(
      ['-q', '-c', noCa, 'bounces', 'process', imaps()],
      { SMTP_URL: sink.url, TIDINGS_BOUNCES_PASSWORD: dovecot.password },
      later(120),
    );
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toMatch(
      new RegExp(
        `\\[MAILBOX_FAILED\\] imaps://bounces@127\\.0\\.0\\.1:${dovecot.imapsPort}/INBOX: cannot connect: TLS failed: .*self.signed.*\\(a private CA goes in bounces\\.tlsCa\\)`,
      ),
    );

    const wrong = await cli(['bounces', 'process', imaps()], later(121), {
      TIDINGS_BOUNCES_PASSWORD: 'not-the-password-0815',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(
      /\[MAILBOX_FAILED\] imaps:\/\/bounces@127\.0\.0\.1:\d+\/INBOX: cannot connect: login refused for bounces.*check the user in the URL and \$TIDINGS_BOUNCES_PASSWORD/,
    );
    expect(wrong.out + wrong.err).not.toContain('not-the-password-0815');

    const nowhere = await cli(['bounces', 'process', imaps().replace(/INBOX$/, 'Nope')], later(122));
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(
      /\[MAILBOX_FAILED\] imaps:\/\/bounces@127\.0\.0\.1:\d+\/Nope: cannot open mailbox Nope/,
    );

    expect(unique(dovecot.messages(''))).toEqual(['4001.hard.host']);
    expect(await feedback(cli)).toMatchObject({ hardBounces: 3 });
  });

  it('the scheduler reads bounces.mailbox when it is an imaps:// URL', async () => {
    const file = path.join(ws.dir, 'scheduled.config.yaml');
    writeFileSync(
      file,
      readFileSync(ws.configFile, 'utf8').replace('bounces:\n', `bounces:\n  mailbox: "${imaps()}"\n`),
    );
    const loaded = loadConfig(file, { SMTP_URL: sink.url });
    const ctx = createAppContext({
      loaded,
      clock: createFixedClock(later(130)),
      logger: createSilentLogger(),
      env: { TIDINGS_BOUNCES_PASSWORD: dovecot.password },
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: process.stdout,
      templatesDir: TEMPLATES_DIR,
    });
    try {
      await createBounceWork(ctx)!(new Date(later(130)));
    } finally {
      ctx.close();
    }
    expect(dovecot.messages('')).toEqual([]);
    expect(await feedback(cli)).toMatchObject({ hardBounces: 4 });
  });
});
