import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createCurator } from '../../src/app/create-curator.ts';
import { editionFolderName } from '../../src/delivery/outbox-transport.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace } from './support/scheduler-workspace.ts';

const READERS = [{ email: 'ada@example.org' }, { email: 'bo@example.org' }];
const approvalYaml = (timeout: 'send' | 'skip') =>
  `    schedule: "0 7 * * *"\n    timezone: Europe/Berlin\n    window: since-last\n    perCategory: 30\n    maxArticles: 30\n    requireApproval: true\n    approvalDeadline: 1h\n    onApprovalTimeout: ${timeout}\n    editors: [ed@example.org]\n`;

describe('approval: prepared ahead, editors emailed, sent when approved, decided at the deadline', () => {
  const tempDir = useTempDir('tidings-sched-');

  it('an unapproved draft is skipped at the deadline and its articles go to the next edition, which is approved and sent at its slot', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: approvalYaml('skip'),
      readers: READERS,
      start: '2026-11-30T00:00:00Z',
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-12-01T04:00:00Z', 4);
      // Monday 07:00 Berlin = 06:00Z; prepared two hours ahead (prepareAhead default with approval).
      await ws.runUntil('2026-11-30T03:59:00Z', 15 * 60_000);
      expect(await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00')).toBeNull();
      await ws.runUntil('2026-11-30T04:00:00Z', 60_000);
      const monday = (await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!;
      expect(monday.status).toBe('draft');
      const mondayArticles = monday.articles.map((a) => a.articleId);
      expect(mondayArticles.length).toBeGreaterThan(0);

      // The editors' email: the preview, with a link to the edition on the desk.
      const [notice] = ws.outboxFiles('daily/2026-11-30T07:00-approval');
      expect(notice).toBeDefined();
      const mail = await simpleParser(
        readFileSync(path.join(ws.dir, 'outbox', editionFolderName('daily/2026-11-30T07:00-approval'), notice!)),
      );
      expect(mail.subject).toMatch(/^\[APPROVAL NEEDED\] /);
      expect(mail.text).toContain('https://news.example.org/desk/e/daily/2026-11-30T07%3A00');
      expect(mail.html).toContain('Story');
      expect((mail.to as { value: { address: string }[] }).value[0]!.address).toBe('ed@example.org');
      // Not list mail: an editor's notice must offer no unsubscribe (it would point at nobody).
      expect(mail.headerLines.map((line) => line.key).filter((key) => key.startsWith('list-'))).toEqual([]);
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');

      // Not approved: nothing goes out at the slot; at slot + approvalDeadline it is skipped.
      await ws.runUntil('2026-11-30T06:45:00Z', 15 * 60_000);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!.status).toBe('draft');
      await ws.runUntil('2026-11-30T07:00:00Z', 15 * 60_000);
      const skipped = (await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!;
      expect(skipped.status).toBe('skipped');
      expect(skipped.statusReason).toMatch(/approval timeout/);
      expect(ws.outboxFiles('daily/2026-11-30T07:00')).toHaveLength(0);

      // Tuesday's draft takes Monday's articles back (they never went out), and goes out once approved.
      await ws.runUntil('2026-12-01T04:00:00Z', 15 * 60_000);
      const tuesday = (await ws.ctx.store.editions.getEdition('daily/2026-12-01T07:00'))!;
      expect(tuesday.status).toBe('draft');
      expect(tuesday.articles.map((a) => a.articleId)).toEqual(expect.arrayContaining(mondayArticles));
      expect(tuesday.articles.length).toBeGreaterThan(mondayArticles.length);
      await createCurator(ws.ctx, 'ed').approve(tuesday.id);
      await ws.runUntil('2026-12-01T05:45:00Z', 15 * 60_000);
      expect(ws.outboxFiles(tuesday.id)).toHaveLength(0); // approved, but the slot has not come
      await ws.runUntil('2026-12-01T06:15:00Z', 15 * 60_000);
      expect((await ws.ctx.store.editions.getEdition(tuesday.id))!.status).toBe('sent');
      expect(ws.outboxFiles(tuesday.id)).toHaveLength(2);
      const last = await ws.ctx.store.scheduler.lastEvent('daily');
      expect(last).toMatchObject({ editionId: tuesday.id, kind: 'sent' });
    } finally {
      ws.close();
    }
  }, 60_000);

  it("the editors' email carries the source watchdog's warnings: a source that gave full text now gives excerpts", async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: approvalYaml('skip'),
      readers: READERS,
      start: '2026-11-30T00:00:00Z',
    });
    try {
      // A week of long articles from the folder source, then the short ones the workspace writes.
      const long = 'The harbour board met again to weigh the dredging plan and the cost of new pontoons. '.repeat(25);
      for (let i = 0; i < 20; i++) {
        const at = new Date(Date.parse('2026-11-22T00:00:00Z') + i * 8 * 3_600_000);
        const record = makeRecord({ id: `long-${i}`, source: 'desk', text: long, publishedAt: at.toISOString() });
        await ws.ctx.store.articles.saveArticles([{ ...record, url: `https://desk.example.com/long-${i}` }], at);
      }
      ws.addArticles('2026-11-29T20:00:00Z', '2026-11-30T02:00:00Z', 2);
      await ws.runUntil('2026-11-30T04:00:00Z', 60 * 60_000);
      const [notice] = ws.outboxFiles('daily/2026-11-30T07:00-approval');
      const mail = await simpleParser(
        readFileSync(path.join(ws.dir, 'outbox', editionFolderName('daily/2026-11-30T07:00-approval'), notice!)),
      );
      expect(mail.text).toMatch(/^Source warning: desk: its last items are excerpts \(median \d+ characters\)/m);
      expect(mail.html).toContain('Source warning: desk: its last items are excerpts');
    } finally {
      ws.close();
    }
  });

  it('onApprovalTimeout: send sends the unapproved draft at the deadline, approved by the scheduler', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: approvalYaml('send'),
      readers: READERS,
      start: '2026-11-30T03:00:00Z',
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-11-30T05:00:00Z', 4);
      await ws.runUntil('2026-11-30T06:45:00Z', 15 * 60_000);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!.status).toBe('draft');
      await ws.runUntil('2026-11-30T07:15:00Z', 15 * 60_000);
      const edition = (await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!;
      expect(edition.status).toBe('sent');
      expect(edition.approvedAt).toBe('2026-11-30T07:00:00.000Z');
      expect(ws.outboxFiles(edition.id)).toHaveLength(2);
    } finally {
      ws.close();
    }
  }, 60_000);

  it('a preview of a future slot decides nothing: the scheduler prepares and sends that slot as usual', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: 24h\n    minArticles: 50\n`,
      readers: READERS,
      start: '2026-11-29T12:00:00Z',
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-11-30T05:00:00Z', 4);
      await ws.runUntil('2026-11-29T12:00:00Z');
      // minArticles 50: the preview is thin, yet the slot must not be frozen as skipped.
      const preview = await runCli(
        [
          '-q',
          '-c',
          ws.configFile,
          'preview',
          'daily',
          '--at',
          '2026-11-30T07:00',
          '--out',
          path.join(ws.dir, 'preview'),
        ],
        {},
        '2026-11-29T12:00:00Z',
      );
      expect(preview.err).toMatch(/nothing to preview/);
      expect(await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00')).toBeNull();
      // The editor lowers the bar before the slot: the scheduler builds the edition then.
      const text = readFileSync(ws.configFile, 'utf8').replace('minArticles: 50', 'minArticles: 1');
      (await import('node:fs')).writeFileSync(ws.configFile, text);
      await ws.restart();
      await ws.runUntil('2026-11-30T07:15:00Z', 15 * 60_000);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!.status).toBe('sent');
    } finally {
      ws.close();
    }
  }, 60_000);
});

describe('the approval email against a misbehaving SMTP server', () => {
  const tempDir = useTempDir('tidings-sched-');

  it('an editor refused (550) or a reply lost mid-DATA is logged and skipped; the others get it, the draft waits and is sent once approved', async () => {
    const { startSmtpSink } = await import('../delivery/support/smtp-sink.ts');
    const sink = await startSmtpSink({
      onRcpt: (address) => (address === 'gone@example.org' ? { code: 550, text: '5.1.1 no such user' } : undefined),
      onData: (message) => (message.to.includes('cut@example.org') ? 'drop' : undefined),
    });
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: 24h\n    requireApproval: true\n    editors: [gone@example.org, cut@example.org, ed@example.org]\n`,
      readers: READERS,
      start: '2026-11-30T04:45:00Z',
      transportYaml: `transport:\n  type: smtp\n  url: ${sink.url}\n  rateLimit: 1000\n`,
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-11-30T04:00:00Z', 4);
      const [, prepared] = await ws.runUntil('2026-11-30T05:00:00Z', 15 * 60_000);
      expect(prepared!.actions.map((a) => `${a.action} ${a.detail ?? ''}`.trim())).toEqual([
        'prepared 5 article(s)',
        'editors-notified ed@example.org',
      ]);
      expect(sink.messages.filter((m) => m.to.includes('ed@example.org'))).toHaveLength(1);
      expect(sink.messages.some((m) => m.to.includes('gone@example.org'))).toBe(false);
      const edition = (await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!;
      expect(edition.status).toBe('draft');
      await createCurator(ws.ctx, 'ed').approve(edition.id);
      await ws.runUntil('2026-11-30T07:00:00Z', 15 * 60_000);
      expect((await ws.ctx.store.editions.getEdition(edition.id))!.status).toBe('sent');
      expect(sink.messages.filter((m) => READERS.some((r) => m.to.includes(r.email)))).toHaveLength(2);
    } finally {
      ws.close();
      await sink.close();
    }
  }, 60_000);

  it('an editor whose server goes silent after DATA times out (transport.socketTimeout): the tick ends, the others get it, the draft waits', async () => {
    const { startFaultySmtpServer } = await import('../delivery/support/faulty-smtp-server.ts');
    const server = await startFaultySmtpServer(({ to }) => (to.includes('slow@example.org') ? 'silent' : 'accept'));
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: `    schedule: "0 7 * * *"\n    timezone: UTC\n    window: 24h\n    requireApproval: true\n    editors: [slow@example.org, ed@example.org]\n`,
      readers: READERS,
      start: '2026-11-30T04:45:00Z',
      transportYaml: `transport:\n  type: smtp\n  url: ${server.url}\n  rateLimit: 1000\n  maxConnections: 1\n  socketTimeout: 500ms\n`,
    });
    try {
      ws.addArticles('2026-11-29T08:00:00Z', '2026-11-30T04:00:00Z', 4);
      const [, prepared] = await ws.runUntil('2026-11-30T05:00:00Z', 15 * 60_000);
      // The silent server may have kept the message: it is not retried, and only ed is reported notified.
      expect(prepared!.actions.map((a) => `${a.action} ${a.detail ?? ''}`.trim())).toEqual([
        'prepared 5 article(s)',
        'editors-notified ed@example.org',
      ]);
      expect(server.copiesFor('slow@example.org')).toBeLessThanOrEqual(1);
      expect(server.copiesFor('ed@example.org')).toBe(1);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T07:00'))!.status).toBe('draft');
    } finally {
      ws.close();
      await server.close();
    }
  }, 60_000);
});
