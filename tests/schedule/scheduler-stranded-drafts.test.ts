import { describe, expect, it } from 'vitest';
import { createCurator } from '../../src/app/create-curator.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSchedulerWorkspace, type SchedulerWorkspace } from './support/scheduler-workspace.ts';

const READERS = [{ email: 'ada@example.org' }, { email: 'bo@example.org' }];
/** Daily at 12:10 UTC, since-last, editors approve; prepared 30 minutes ahead. */
const newsletterYaml = (approvalDeadline: string) =>
  `    schedule: "10 12 * * *"\n    timezone: UTC\n    window: since-last\n    perCategory: 30\n    maxArticles: 30\n    requireApproval: true\n` +
  `    prepareAhead: 30m\n    approvalDeadline: ${approvalDeadline}\n    onApprovalTimeout: skip\n    editors: [ed@example.org]\n`;

const articleIds = async (ws: SchedulerWorkspace, id: string) => ((await ws.ctx.store.editions.getEdition(id))?.articles ?? []).map((a) => a.articleId);

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
    const ws = await createSchedulerWorkspace(tempDir(), { newsletterYaml: newsletterYaml('1m'), readers: READERS, start: '2026-11-29T11:30:00Z' });
    try {
      const yesterday = await sendYesterday(ws);
      // Six stories this morning; `tidings run` at 11:22 builds their draft and waits for approval.
      ws.addArticles('2026-11-30T06:00:00Z', '2026-11-30T11:00:00Z', 1);
      ws.clock.set('2026-11-30T11:22:00Z');
      const run = await cli(ws, ['run', '--newsletter', 'daily'], '2026-11-30T11:22:00Z');
      expect(run.out).toContain('daily/2026-11-30T11:22: waiting for approval');
      expect(run.out).toContain('Unapproved at 2026-11-30T11:23:00.000Z, the scheduler skips it (its articles go to the next edition)');
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
    const ws = await createSchedulerWorkspace(tempDir(), { newsletterYaml: newsletterYaml('2h'), readers: READERS, start: '2026-11-29T11:30:00Z' });
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
      expect(superseded).toMatchObject({ status: 'skipped', statusReason: expect.stringMatching(/^superseded: daily\/2026-11-30T12:10/) });

      // Tomorrow's window starts at today's 12:10, yet the held-back stories return to the pool.
      await ws.runUntil('2026-12-01T11:45:00Z', 30 * 60_000);
      expect(await articleIds(ws, 'daily/2026-12-01T12:10')).toEqual(expect.arrayContaining(held));
    } finally {
      ws.close();
    }
  }, 120_000);
});
