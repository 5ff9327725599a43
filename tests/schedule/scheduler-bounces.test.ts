import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBounceWork } from '../../src/app/process-bounces-from-context.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { formatVerpAddress } from '../../src/delivery/verp-address.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { SECRET, createSchedulerWorkspace } from './support/scheduler-workspace.ts';

const RETURN_PATH = 'bounces@news.example.org';
const EDITION = 'daily/2026-11-30T07:00';
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/bounces');
const NEWSLETTER = `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: since-last\n    perCategory: 50\n    maxArticles: 50\n`;
const TRANSPORT = `transport:\n  type: outbox\n  dir: outbox\n  returnPath: ${RETURN_PATH}\n`;

/** A fixture report (written for the bounces tests) addressed to the delivery's VERP address. */
function report(name: 'hard' | 'complaint', subscriberId: number, recipient: string): Buffer {
  const verp = formatVerpAddress(RETURN_PATH, { editionId: EDITION, subscriberId }, SECRET);
  return Buffer.from(
    readFileSync(path.join(FIXTURES, `${name}.eml`), 'latin1')
      .replaceAll('{{VERP}}', verp)
      .replaceAll('{{RCPT}}', recipient),
    'latin1',
  );
}

describe('the scheduler processes the bounce mailbox every bounces.every', () => {
  const tempDir = useTempDir('tidings-sched-bounces-');

  it('reads the Maildir at the first tick, then only once bounces.every has passed since the last run', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: NEWSLETTER,
      readers: [{ email: 'ada@example.org' }, { email: 'bo@example.org' }],
      start: '2026-11-30T06:30:00Z',
      transportYaml: TRANSPORT,
      extraYaml: 'bounces:\n  maildir: Maildir\n  every: 10m\n',
    });
    try {
      ws.addArticles('2026-11-29T09:00:00Z', '2026-11-30T06:00:00Z', 6);
      // 06:30, 06:45, 07:00 (the edition is sent): each tick is ≥ 10 minutes after the last, so each reads the (missing) Maildir.
      await ws.runUntil('2026-11-30T07:00:00Z');
      expect((await ws.ctx.store.editions.getEdition(EDITION))!.status).toBe('sent');
      const ids = new Map<string, number>();
      for await (const r of ws.ctx.store.subscribers.streamRecipients('daily')) ids.set(r.email, r.id);

      const maildir = path.join(ws.dir, 'Maildir');
      for (const sub of ['new', 'cur', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
      writeFileSync(
        path.join(maildir, 'new', '2001.hard.host'),
        report('hard', ids.get('ada@example.org')!, 'ada@example.org'),
      );
      const processed = () =>
        existsSync(path.join(maildir, '.Processed', 'cur'))
          ? readdirSync(path.join(maildir, '.Processed', 'cur')).sort()
          : [];

      ws.clock.set('2026-11-30T07:05:00Z');
      await ws.scheduler.tick(ws.clock.now());
      expect(readdirSync(path.join(maildir, 'new'))).toEqual(['2001.hard.host']); // 5 minutes after the last run: not due
      ws.clock.set('2026-11-30T07:10:00Z');
      await ws.scheduler.tick(ws.clock.now());
      expect(readdirSync(path.join(maildir, 'new'))).toEqual([]);
      expect(processed()).toEqual(['2001.hard.host:2,S']);
      expect((await ws.ctx.store.deliveryEvents.countsByEdition()).get(EDITION)).toEqual({
        hardBounces: 1,
        softBounces: 0,
        complaints: 0,
      });

      writeFileSync(
        path.join(maildir, 'new', '2002.complaint.host'),
        report('complaint', ids.get('bo@example.org')!, 'bo@example.org'),
      );
      ws.clock.set('2026-11-30T07:19:59Z');
      await ws.scheduler.tick(ws.clock.now());
      expect(readdirSync(path.join(maildir, 'new'))).toEqual(['2002.complaint.host']);
      ws.clock.set('2026-11-30T07:20:00Z');
      await ws.scheduler.tick(ws.clock.now());
      expect(processed()).toEqual(['2001.hard.host:2,S', '2002.complaint.host:2,S']);
      // The complaint acted as `tidings bounces process` does: bo is unsubscribed and suppressed.
      const recipients: string[] = [];
      for await (const r of ws.ctx.store.subscribers.streamRecipients('daily')) recipients.push(r.email);
      expect(recipients).toEqual(['ada@example.org']);
      expect((await ws.ctx.store.deliveryEvents.countsByEdition()).get(EDITION)).toEqual({
        hardBounces: 1,
        softBounces: 0,
        complaints: 1,
      });
    } finally {
      ws.close();
    }
  });

  it('a Maildir it cannot read fails the bounce run (logged by the scheduler) and never holds the newsletters back', async () => {
    const dir = tempDir();
    const ws = await createSchedulerWorkspace(dir, {
      newsletterYaml: NEWSLETTER,
      readers: [{ email: 'ada@example.org' }],
      start: '2026-11-30T06:45:00Z',
      transportYaml: TRANSPORT,
      extraYaml: 'bounces:\n  maildir: not-a-maildir\n',
    });
    try {
      // A file where the Maildir should be: listing it fails (ENOTDIR) at every run.
      writeFileSync(path.join(dir, 'not-a-maildir'), 'oops');
      ws.addArticles('2026-11-29T09:00:00Z', '2026-11-30T06:00:00Z', 6);
      const reports = await ws.runUntil('2026-11-30T07:00:00Z');
      expect(reports.flatMap((r) => r.actions.map((a) => a.action))).toContain('sent');
      expect((await ws.ctx.store.editions.getEdition(EDITION))!.status).toBe('sent');
      // The bounce work itself does fail (the scheduler catches and logs it, like a failed ingest).
      await expect(createBounceWork(ws.ctx)!(ws.clock.now())).rejects.toThrow(/ENOTDIR/);
    } finally {
      ws.close();
    }
  });

  it('refuses bounces.maildir without transport.returnPath, and an interval under a minute', () => {
    const dir = tempDir();
    const file = path.join(dir, 'tidings.config.yaml');
    writeFileSync(file, 'bounces:\n  maildir: Maildir\n');
    expect(() => loadConfig(file, {})).toThrow(/bounces\.mailbox \(or maildir\): needs transport\.returnPath/);
    writeFileSync(
      file,
      `transport: { type: outbox, returnPath: ${RETURN_PATH} }\nbounces: { maildir: Maildir, every: 30s }\n`,
    );
    expect(() => loadConfig(file, {})).toThrow(/bounces\.every: must be at least 1m/);
    writeFileSync(file, `transport: { type: outbox, returnPath: ${RETURN_PATH} }\nbounces: { maildir: Maildir }\n`);
    expect(loadConfig(file, {}).config.bounces).toEqual({
      mailbox: 'Maildir',
      every: 600_000,
      passwordEnv: 'TIDINGS_BOUNCES_PASSWORD',
      timeout: 60_000,
    });
    // The newer name takes a Maildir or an IMAP URL; a password in the URL or both names at once are refused.
    writeFileSync(
      file,
      `transport: { type: outbox, returnPath: ${RETURN_PATH} }\nbounces: { mailbox: "imaps://bounces@mail.example.org/INBOX" }\n`,
    );
    expect(loadConfig(file, {}).config.bounces.mailbox).toBe('imaps://bounces@mail.example.org/INBOX');
    writeFileSync(
      file,
      `transport: { type: outbox, returnPath: ${RETURN_PATH} }\nbounces: { mailbox: "imaps://bounces:hunter2@mail.example.org/INBOX" }\n`,
    );
    expect(() => loadConfig(file, {})).toThrow(/bounces\.mailbox: the URL holds a password/);
    writeFileSync(
      file,
      `transport: { type: outbox, returnPath: ${RETURN_PATH} }\nbounces: { mailbox: Maildir, maildir: Maildir }\n`,
    );
    expect(() => loadConfig(file, {})).toThrow(/bounces\.maildir: set bounces\.mailbox or its older name/);
    writeFileSync(
      file,
      `transport: { type: outbox, returnPath: ${RETURN_PATH} }\nbounces: { mailbox: "pop3://bounces@mail.example.org" }\n`,
    );
    expect(() => loadConfig(file, {})).toThrow(/bounces\.mailbox: pop3:\/\/ is not a mailbox/);
  });
});
