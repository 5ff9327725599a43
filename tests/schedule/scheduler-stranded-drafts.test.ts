import { afterEach, describe, expect, it } from 'vitest';
import { createCurator } from '../../src/app/create-curator.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import path from 'node:path';
import { spawnCliChild, type CliChild } from './support/cli-child.ts';
import { createSchedulerWorkspace, type SchedulerWorkspace } from './support/scheduler-workspace.ts';

const children: CliChild[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
});

const READERS = [{ email: 'ada@example.org' }, { email: 'bo@example.org' }];
/** Daily at 12:10 UTC, since-last, editors approve; prepared 30 minutes ahead. */
const newsletterYaml = (approvalDeadline: string) =>
  `    schedule: "10 12 * * *"\n    timezone: UTC\n    window: since-last\n    perCategory: 30\n    maxArticles: 30\n    requireApproval: true\n` +
  `    prepareAhead: 30m\n    approvalDeadline: ${approvalDeadline}\n    onApprovalTimeout: skip\n    editors: [ed@example.org]\n`;

const articleIds = async (ws: SchedulerWorkspace, id: string) =>
  ((await ws.ctx.store.editions.getEdition(id))?.articles ?? []).map((a) => a.articleId);

/** Yesterday's 12:10 edition, approved and sent, so since-last windows have a start. */
async function sendYesterday(ws: SchedulerWorkspace): Promise<string[]> {
  ws.addArticles('2026-11-29T06:00:00Z', '2026-11-29T10:00:00Z', 2);
  await ws.runUntil('2026-11-29T11:45:00Z', 5 * 60_000);
  await createCurator(ws.ctx, 'ed').approve('daily/2026-11-29T12:10');
  await ws.runUntil('2026-11-29T12:10:00Z', 5 * 60_000);
  expect((await ws.ctx.store.editions.getEdition('daily/2026-11-29T12:10'))!.status).toBe('sent');
  return articleIds(ws, 'daily/2026-11-29T12:10');
}

/** `tidings <args>` as ops type it, on the workspace's files, with the clock at `now`. */
async function cli(ws: SchedulerWorkspace, args: string[], now: string) {
  return runCli(['-q', '-c', ws.configFile, ...args], {}, now);
}

describe('no stranded drafts: the scheduler decides a draft whoever built it', () => {
  const tempDir = useTempDir('tidings-stranded-');

  it('a draft that tidings run built off the schedule is skipped at its approval deadline, and its stories go to the 12:10 edition', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: newsletterYaml('1m'),
      readers: READERS,
      start: '2026-11-29T11:30:00Z',
    });
    try {
      const yesterday = await sendYesterday(ws);
      // Six stories this morning; `tidings run` at 11:22 builds their draft and waits for approval.
      ws.addArticles('2026-11-30T06:00:00Z', '2026-11-30T11:00:00Z', 1);
      ws.clock.set('2026-11-30T11:22:00Z');
      const run = await cli(ws, ['run', '--newsletter', 'daily'], '2026-11-30T11:22:00Z');
      expect(run.out).toContain('daily/2026-11-30T11:22: waiting for approval');
      expect(run.out).toContain(
        'Unapproved at 2026-11-30T11:23:00.000Z, the scheduler skips it (its articles go to the next edition)',
      );
      const stories = await articleIds(ws, 'daily/2026-11-30T11:22');
      expect(stories).toHaveLength(6);
      expect(stories.some((id) => yesterday.includes(id))).toBe(false);

      // The desk showed "11:23 UTC, then skipped": the scheduler does so at the deadline.
      await ws.runUntil('2026-11-30T11:22:30Z', 30_000);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T11:22'))!.status).toBe('draft');
      await ws.runUntil('2026-11-30T11:24:00Z', 30_000);
      const skipped = (await ws.ctx.store.editions.getEdition('daily/2026-11-30T11:22'))!;
      expect(skipped).toMatchObject({ status: 'skipped', statusReason: expect.stringMatching(/approval timeout/) });
      expect(ws.outboxFiles('daily/2026-11-30T11:22')).toHaveLength(0);

      // The scheduled 12:10 edition starts after yesterday's (the last one sent) and takes the six stories.
      ws.clock.set('2026-11-30T11:45:00Z');
      await ws.runUntil('2026-11-30T11:45:00Z');
      const noon = await articleIds(ws, 'daily/2026-11-30T12:10');
      expect(noon).toEqual(expect.arrayContaining(stories));
      await createCurator(ws.ctx, 'ed').approve('daily/2026-11-30T12:10');
      await ws.runUntil('2026-11-30T12:10:00Z', 5 * 60_000);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T12:10'))!.status).toBe('sent');
      expect(ws.outboxFiles('daily/2026-11-30T12:10')).toHaveLength(READERS.length);
    } finally {
      ws.close();
    }
  }, 120_000);

  it('a draft of tidings edition build still waiting when a later edition went out is superseded, and its stories reach the next edition', async () => {
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml: newsletterYaml('2h'),
      readers: READERS,
      start: '2026-11-29T11:30:00Z',
    });
    try {
      await sendYesterday(ws);
      ws.addArticles('2026-11-30T06:00:00Z', '2026-11-30T11:00:00Z', 1);
      ws.clock.set('2026-11-30T11:22:00Z');
      expect((await cli(ws, ['ingest'], '2026-11-30T11:21:00Z')).code).toBe(0);
      const build = await cli(ws, ['edition', 'build', 'daily', '--at', '2026-11-30T11:22'], '2026-11-30T11:22:00Z');
      expect(build.code, build.err).toBe(0);
      const held = await articleIds(ws, 'daily/2026-11-30T11:22');
      expect(held).toHaveLength(6);

      // The 12:10 edition is built while the 11:22 draft still waits (its deadline is 13:22): it
      // gets the stories that came after, approved and sent first.
      ws.addArticles('2026-11-30T11:30:00Z', '2026-11-30T11:35:00Z', 1 / 12);
      ws.clock.set('2026-11-30T11:45:00Z');
      await ws.runUntil('2026-11-30T11:45:00Z');
      const noon = await articleIds(ws, 'daily/2026-11-30T12:10');
      expect(noon.length).toBeGreaterThan(0);
      expect(noon.some((id) => held.includes(id))).toBe(false);
      await createCurator(ws.ctx, 'ed').approve('daily/2026-11-30T12:10');
      await ws.runUntil('2026-11-30T12:15:00Z', 5 * 60_000);
      expect((await ws.ctx.store.editions.getEdition('daily/2026-11-30T12:10'))!.status).toBe('sent');
      const superseded = (await ws.ctx.store.editions.getEdition('daily/2026-11-30T11:22'))!;
      expect(superseded).toMatchObject({
        status: 'skipped',
        statusReason: expect.stringMatching(/^superseded: daily\/2026-11-30T12:10/),
      });

      // Tomorrow's window starts at today's 12:10, yet the held-back stories return to the pool.
      await ws.runUntil('2026-12-01T11:45:00Z', 30 * 60_000);
      expect(await articleIds(ws, 'daily/2026-12-01T12:10')).toEqual(expect.arrayContaining(held));
    } finally {
      ws.close();
    }
  }, 120_000);

  it('as processes: the draft of a tidings run beside a running tidings start is skipped at its deadline, and an edition built after has its stories', async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 6 * 3_600_000);
    // Scheduled hours away: the only draft is the one `tidings run` builds; the scheduler ticks every second.
    const ws = await createSchedulerWorkspace(tempDir(), {
      newsletterYaml:
        `    schedule: "${later.getUTCMinutes()} ${later.getUTCHours()} * * *"\n    timezone: UTC\n    window: since-last\n    perCategory: 30\n    maxArticles: 30\n` +
        `    requireApproval: true\n    prepareAhead: 1m\n    approvalDeadline: 5s\n    onApprovalTimeout: skip\n`,
      readers: READERS,
      start: now.toISOString(),
      // Continues the `web:` block: a free port.
      extraYaml: '  port: 0\nscheduler:\n  tickEvery: 1s\n',
    });
    ws.close();
    ws.addArticles(
      new Date(now.getTime() - 5 * 3_600_000).toISOString(),
      new Date(now.getTime() - 3_600_000).toISOString(),
      1,
    );
    const start = spawnCliChild(['-c', ws.configFile, 'start'], {});
    children.push(start);
    await start.waitFor('the scheduler to start', () => /scheduler started/.test(start.stderr));
    const run = spawnCliChild(['-c', ws.configFile, 'run', '--newsletter', 'daily'], {});
    children.push(run);
    expect(await run.exited, run.stderr).toBe(1);
    const draftId = /(daily\/\S+): waiting for approval/.exec(run.stdout)![1]!;

    const store = openSqliteStore(path.join(ws.dir, 'data', 'tidings.db'));
    try {
      const stories = (await store.editions.getEdition(draftId))!.articles.map((a) => a.articleId);
      expect(stories).toHaveLength(5);
      await start.waitFor(
        'the scheduler to decide the draft',
        async () => (await store.editions.getEdition(draftId))!.status !== 'draft',
      );
      expect(await store.editions.getEdition(draftId)).toMatchObject({
        status: 'skipped',
        statusReason: expect.stringMatching(/^approval timeout/),
      });
      expect(start.stderr).toContain(`"edition":"${draftId}"`);
      start.process.kill('SIGTERM');
      expect(await start.exited, start.stderr).toBe(0);
      // The next edition (an editor's draft for a later slot) gets the five stories back.
      const build = spawnCliChild(
        ['-c', ws.configFile, 'edition', 'build', 'daily', '--at', new Date(now.getTime() + 3_600_000).toISOString()],
        {},
      );
      children.push(build);
      expect(await build.exited, build.stderr).toBe(0);
      const next = (await store.editions.listEditions('daily', { statuses: ['draft'] }))[0]!;
      expect(next.articles.map((a) => a.articleId)).toEqual(expect.arrayContaining(stories));
    } finally {
      store.close();
    }
  }, 180_000);
});
