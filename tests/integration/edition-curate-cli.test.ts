import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const AT = '2026-11-28T07:00:00Z';

describe('tidings edition add|recategorize|block|approve|unapprove', () => {
  const tempDir = useTempDir();

  it('adds what the cap left out, recategorizes, blocks a source, shows the approver and the top story rule', async () => {
    const dir = tempDir();
    for (const folder of ['samples', 'subscribers'])
      cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(
      config,
      readFileSync(path.resolve('tidings.config.yaml'), 'utf8').replace('perCategory: 4', 'perCategory: 1'),
    );
    const cli = (...args: string[]) => runCli(['-q', '-c', config, ...args], {}, AT);
    expect((await cli('ingest')).code).toBe(0);
    expect((await cli('edition', 'build', 'daily', '--at', AT)).code).toBe(0);
    const id = 'daily/2026-11-28T07:00';
    type Shown = {
      status: string;
      approvedBy: string | null;
      topStory: { articleId: string; rule: string };
      articles: { articleId: string; category: string; source: string; sourceTitle: string }[];
    };
    const show = async () => JSON.parse((await cli('edition', 'show', id, '--json')).out) as Shown;
    const before = await show();
    expect(before.topStory.rule).toBe('most recent of the first section');
    const listed = JSON.parse((await cli('articles', '--json')).out) as { id: string; categories: string[] }[];
    const leftOut = listed.find(
      (a) => !before.articles.some((b) => b.articleId === a.id) && a.categories.includes('world'),
    )!;
    expect(leftOut).toBeDefined();

    // `tidings articles` prints the short id that `edition add` takes, as `edition show` does.
    const shortId = leftOut.id.slice(0, 10);
    expect((await cli('articles')).out).toContain(`${shortId}  `);
    const unknown = await cli('edition', 'add', id, 'zzzz-no-such-id');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no stored article "zzzz-no-such-id"');
    const added = await cli('edition', 'add', id, shortId, '--by', 'ann');
    expect(added.code).toBe(0);
    const target = before.articles.find((a) => a.category === 'world')!;
    expect(
      (await cli('edition', 'recategorize', id, target.articleId.slice(0, 10), 'science', '--by', 'ann')).code,
    ).toBe(0);
    expect((await cli('edition', 'recategorize', id, target.articleId, 'sport')).code).toBe(2);
    const herald = before.articles.find((a) => a.source === 'harbor-herald')!;
    expect(herald.sourceTitle).toBe('The Harbor Herald');
    expect((await cli('edition', 'block', id, herald.articleId, '--source', '--by', 'ann')).code).toBe(0);

    const approved = await cli('edition', 'approve', id, '--by', 'ann');
    expect(approved.out).toMatch(/approved .* by ann/);
    const after = await show();
    expect(after.approvedBy).toBe('ann');
    expect(after.articles.find((a) => a.articleId === leftOut.id)).toBeDefined();
    expect(after.articles.find((a) => a.articleId === target.articleId)!.category).toBe('science');
    expect(
      after.articles.filter((a) => a.source === 'harbor-herald').every((a) => (a as { excluded?: boolean }).excluded),
    ).toBe(true);
    const withdrawn = await cli('edition', 'unapprove', id);
    expect(withdrawn.out).toMatch(/draft \(approval withdrawn by cli\)/);
    expect((await show()).approvedBy).toBeNull();
  });
});
