import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const AT = '2026-11-27T08:00:00Z';
const FIXTURES = path.resolve('tests/fixtures/stories');

/**
 * Three feeds carry one wire story under three headlines (one with a javascript: link),
 * and two feeds carry different council stories under near-identical headlines.
 */
describe('each story once in an edition', () => {
  const tempDir = useTempDir();

  function project(): string {
    const dir = tempDir();
    cpSync(FIXTURES, path.join(dir, 'feeds'), { recursive: true });
    writeFileSync(
      path.join(dir, 'tidings.config.yaml'),
      `store: { path: data/t.db }
categories:
  world: { title: World }
sources:
  - { name: coast-courier, type: feed, path: feeds/coast-courier.xml }
  - { name: island-daily, type: feed, path: feeds/island-daily.xml }
  - { name: bay-wire, type: feed, path: feeds/bay-wire.xml }
newsletters:
  - id: daily
    title: Daily
    categories: [world]
    window: 24h
    minArticles: 1
    from: "Daily <d@example.org>"
    timezone: UTC
`,
    );
    return path.join(dir, 'tidings.config.yaml');
  }

  it('shows the story from the first source with "also in" links; similar headlines stay apart', async () => {
    const config = project();
    const cli = (...args: string[]) => runCli(['-q', '-c', config, ...args], {}, AT);
    // Ingested one source at a time, so "first source" is the order they were seen in.
    for (const source of ['coast-courier', 'island-daily', 'bay-wire'])
      expect((await cli('ingest', '--source', source)).code).toBe(0);
    expect((await cli('edition', 'build', 'daily', '--at', AT)).code).toBe(0);

    const id = 'daily/2026-11-27T08:00';
    const shown = JSON.parse((await cli('edition', 'show', id, '--json')).out) as {
      articles: { title: string; source: string; url: string; alsoIn?: { source: string; url: string | null }[] }[];
    };
    expect(shown.articles.map((a) => a.title).sort()).toEqual([
      'Council approves new budget for harbour repairs',
      'Council approves new budget for school repairs',
      'Storm forces ferry cancellations across the bay',
    ]);
    const ferry = shown.articles.find((a) => a.title.startsWith('Storm'))!;
    expect(ferry.source).toBe('coast-courier');
    expect(ferry.url).toBe('https://courier.example/news/2026/11/27/ferry-storm/');
    expect(ferry.alsoIn).toEqual([
      // Readers see each source's display title (the feed's own name here), never the configuration name.
      expect.objectContaining({
        source: 'Island Daily',
        url: 'https://islanddaily.example/stories/gale-halts-crossings',
      }),
      expect.objectContaining({ source: 'Bay Wire', url: null }),
    ]);
    for (const council of shown.articles.filter((a) => a.title.startsWith('Council')))
      expect(council.alsoIn).toBeUndefined();

    const text = (await cli('edition', 'show', id)).out;
    expect(text).toMatch(
      /story from Coast Courier; also in:\n\s+\w+\s+Island Daily\s+https:\/\/islanddaily\.example\/stories\/gale-halts-crossings\n\s+\w+\s+Bay Wire\s+\(no url\)/,
    );

    const outDir = path.join(path.dirname(config), 'preview');
    const preview = await cli('preview', 'daily', '--at', AT, '--out', outDir);
    expect(preview.code).toBe(0);
    const stem = /^(.+)\.html/m.exec(preview.out)![1]!;
    const html = readFileSync(`${stem}.html`, 'utf8');
    const txt = readFileSync(`${stem}.txt`, 'utf8');
    expect(html).toContain('href="https://courier.example/news/2026/11/27/ferry-storm/"');
    expect(html).not.toContain('Winter gale halts');
    expect(html).toMatch(
      /Also in: <a href="https:\/\/islanddaily\.example\/stories\/gale-halts-crossings"[^>]*>Island Daily<\/a>, Bay Wire<\/p>/,
    );
    expect(html).not.toContain('javascript:');
    expect(txt).toContain('Also in: Island Daily <https://islanddaily.example/stories/gale-halts-crossings>, Bay Wire');
    expect(txt).not.toContain('Gusts of 110');
  });
});
