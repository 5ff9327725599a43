import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const AT = '2026-11-28T07:00:00Z';

describe('an editor curates, previews and approves an edition from the command line', () => {
  const tempDir = useTempDir();

  function project(extraNewsletterYaml = ''): string {
    const dir = tempDir();
    for (const folder of ['samples', 'subscribers']) cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
    const config = readFileSync(path.resolve('tidings.config.yaml'), 'utf8').replace(
      '    postalAddress:',
      `${extraNewsletterYaml}    postalAddress:`,
    );
    writeFileSync(path.join(dir, 'tidings.config.yaml'), config);
    return path.join(dir, 'tidings.config.yaml');
  }

  it('pins, excludes, moves, rewrites, writes an intro; preview shows it; send waits for approval', async () => {
    const config = project('    requireApproval: true\n    summary: { maxWords: 30, maxSentences: 2 }\n');
    const cli = (...args: string[]) => runCli(['-q', '-c', config, ...args]);
    expect((await cli('ingest')).code).toBe(0);
    expect((await cli('subscribers', 'sync')).code).toBe(0);

    const outDir = path.join(path.dirname(config), 'preview');
    const first = await cli('preview', 'daily', '--at', AT, '--out', outDir);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/daily\/2026-11-28T07:00 \(draft\)/);

    const list = await cli('edition', 'list', '--json');
    const [edition] = JSON.parse(list.out) as { id: string; articles: number }[];
    expect(edition).toMatchObject({ id: 'daily/2026-11-28T07:00', articles: 13 });

    const shown = JSON.parse((await cli('edition', 'show', edition!.id, '--json')).out) as {
      articles: { articleId: string; title: string; category: string; summary: string }[];
    };
    // The newsletter's own summary limit (30 words) applies to the edition.
    for (const article of shown.articles) expect(article.summary.split(/\s+/).length).toBeLessThanOrEqual(30 + 25);
    const tidal = shown.articles.find((a) => a.title.startsWith('Tidal turbines'))!;
    const phishing = shown.articles.find((a) => a.title.startsWith('Phishing emails'))!;
    const coral = shown.articles.find((a) => a.title.startsWith('Deep-sea survey'))!;

    expect((await cli('edition', 'pick', edition!.id, tidal.articleId.slice(0, 8), '--pin', '--title', 'Turbines <b>on</b> the grid')).code).toBe(0);
    expect((await cli('edition', 'exclude', edition!.id, phishing.articleId)).code).toBe(0);
    expect((await cli('edition', 'move', edition!.id, coral.articleId, '1')).code).toBe(0);
    expect((await cli('edition', 'intro', edition!.id, 'Good morning, harbour.')).code).toBe(0);

    const blocked = await cli('send', 'daily', '--at', AT, '--force');
    expect(blocked.code).toBe(1);
    expect(blocked.out).toMatch(/waiting for approval/);

    const second = await cli('preview', 'daily', '--at', AT, '--out', outDir);
    expect(second.code).toBe(0);
    const html = readFileSync(path.join(outDir, 'daily-2026-11-28T0700.html'), 'utf8');
    const text = readFileSync(path.join(outDir, 'daily-2026-11-28T0700.txt'), 'utf8');
    expect(html).toContain('Turbines &lt;b&gt;on&lt;/b&gt; the grid');
    expect(html).toContain('Good morning, harbour.');
    expect(text).not.toContain('Phishing emails impersonate');
    // The pinned story comes first; the moved article leads the science section.
    expect(text.indexOf('Turbines <b>on</b> the grid')).toBeLessThan(text.indexOf('SCIENCE'));
    const science = text.slice(text.indexOf('SCIENCE'));
    expect(science.indexOf('Deep-sea survey')).toBeGreaterThan(-1);
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);

    expect((await cli('edition', 'approve', edition!.id, '--by', 'ed')).out).toMatch(/approved/);
    const sent = await cli('send', 'daily', '--at', AT, '--force');
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(/6 accepted/);
    const folder = path.join(path.dirname(config), 'outbox');
    const files = readdirSync(path.join(folder, readdirSync(folder)[0]!));
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(6);

    // Once sending started, the content is frozen.
    const late = await cli('edition', 'intro', edition!.id, 'Too late');
    expect(late.code).toBe(1);
    expect(late.err).toMatch(/EDITION_STATE.*can no longer change/);
  });

  it('refuses a late slot without --force and says why', async () => {
    const config = project();
    await runCli(['-q', '-c', config, 'ingest']);
    await runCli(['-q', '-c', config, 'subscribers', 'sync']);
    const args = ['-q', '-c', config, 'send', 'daily', '--at', '2026-11-28T07:00:00Z'];
    const late = await runCli(args, { TIDINGS_SECRET: 'x'.repeat(20) }, '2026-11-28T13:30:00Z');
    expect(late.code).toBe(1);
    expect(late.out).toMatch(/6\.5h in the past, more than delivery\.maxLateness \(6\.0h\); not sending\. Pass --force/);
    expect(readdirSync(path.dirname(config))).not.toContain('outbox');
    const forced = await runCli([...args, '--force'], { TIDINGS_SECRET: 'x'.repeat(20) }, '2026-11-28T13:30:00Z');
    expect(forced.out).toMatch(/6 accepted/);
  });

  it('exits 2 with every problem for a bad configuration, before doing anything', async () => {
    const config = project();
    writeFileSync(config, readFileSync(config, 'utf8').replace('path: samples/feeds/harbor-herald.xml', 'url: ftp://example.org/feed'));
    const result = await runCli(['-c', config, 'ingest']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/sources\[0\]: a feed needs exactly one of url or path|sources\[0\]\.url: must be an http\(s\) URL/);
    const usage = await runCli(['-c', config, 'edition', 'move']);
    expect(usage.code).toBe(2);
  });
});
