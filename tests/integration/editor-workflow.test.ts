import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const AT = '2026-11-28T07:00:00Z';

describe('an editor curates, previews and approves an edition from the command line', () => {
  const tempDir = useTempDir();

  function project(extraNewsletterYaml = ''): string {
    const dir = tempDir();
    for (const folder of ['samples', 'subscribers'])
      cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
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
    // A preview decides nothing: no edition is saved until one is built (or sent).
    expect(JSON.parse((await cli('edition', 'list', '--json')).out)).toEqual([]);
    expect((await cli('edition', 'build', 'daily', '--at', AT)).code).toBe(0);

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

    expect(
      (
        await cli(
          'edition',
          'pick',
          edition!.id,
          tidal.articleId.slice(0, 8),
          '--pin',
          '--title',
          'Turbines <b>on</b> the grid',
        )
      ).code,
    ).toBe(0);
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
    expect(late.out).toMatch(
      /6\.5h in the past, more than delivery\.maxLateness \(6\.0h\); not sending\. Pass --force/,
    );
    expect(readdirSync(path.dirname(config))).not.toContain('outbox');
    const forced = await runCli([...args, '--force'], { TIDINGS_SECRET: 'x'.repeat(20) }, '2026-11-28T13:30:00Z');
    expect(forced.out).toMatch(/6 accepted/);
  });

  it('exits 2 with every problem for a bad configuration, before doing anything', async () => {
    const config = project();
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace('path: samples/feeds/harbor-herald.xml', 'url: ftp://example.org/feed'),
    );
    const result = await runCli(['-c', config, 'ingest']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /sources\[0\]: a feed needs exactly one of url or path|sources\[0\]\.url: must be an http\(s\) URL/,
    );
    const usage = await runCli(['-c', config, 'edition', 'move']);
    expect(usage.code).toBe(2);
  });

  it('previews a Russian subscriber exactly as sent: same HTML and text, ru strings, Moscow times', async () => {
    const config = project();
    const dir = path.dirname(config);
    const env = { TIDINGS_SECRET: 'x'.repeat(24) };
    const cli = (...args: string[]) => runCli(['-q', '-c', config, ...args], env, '2026-11-28T07:00:30Z');
    expect((await cli('ingest')).code).toBe(0);
    expect((await cli('subscribers', 'sync')).code).toBe(0);
    // A zone-less --at is the newsletter's wall time (Europe/London here), as edition ids show it.
    const preview = await cli(
      'preview',
      'daily',
      '--at',
      '2026-11-28T07:00',
      '--subscriber',
      'IVAN.PETROV@example.net',
      '--out',
      path.join(dir, 'preview'),
    );
    expect(preview.code).toBe(0);
    expect(preview.out).toMatch(
      /daily\/2026-11-28T07:00 \(draft\) as ivan\.petrov@example\.net: 13 articles, subject "The Daily Tidings · 28 нояб\. 2026 г\."/,
    );
    expect(preview.out).toMatch(/daily-2026-11-28T0700\.html {2}\d+\.\d KB/);
    const html = readFileSync(path.join(dir, 'preview', 'daily-2026-11-28T0700.html'), 'utf8');
    const text = readFileSync(path.join(dir, 'preview', 'daily-2026-11-28T0700.txt'), 'utf8');
    expect(html).toMatch(/^<!doctype html><html lang="ru"/);
    expect(text).toContain('Здравствуйте, Иван!');
    expect(text).toContain('суббота, 28 ноября 2026');
    // The phishing story was published 16:20 UTC: 19:20 in Moscow, day and month in Russian.
    // Readers see the feed's own name (its <title>), not the configuration name.
    expect(text).toMatch(/The Harbor Herald · 27 нояб\., 19:20/);
    expect(text).not.toMatch(/harbor-herald ·|desk-files ·/);

    expect((await cli('edition', 'build', 'daily', '--at', '2026-11-28T07:00')).code).toBe(0);
    const shown = await cli('edition', 'show', 'daily/2026-11-28T07:00');
    expect(shown.out).toMatch(/\[world\]\n\s+1\. \w+ {2}Envoys close a deal.*<TOP auto/);

    expect((await cli('send', 'daily', '--at', '2026-11-28T07:00')).code).toBe(0);
    const folder = path.join(dir, 'outbox', readdirSync(path.join(dir, 'outbox'))[0]!);
    const messages = await Promise.all(
      readdirSync(folder).map(async (file) => simpleParser(readFileSync(path.join(folder, file)))),
    );
    const ivan = messages.find(
      (message) =>
        message.to && !Array.isArray(message.to) && message.to.value[0]!.address === 'ivan.petrov@example.net',
    )!;
    expect(ivan.subject).toBe('The Daily Tidings · 28 нояб. 2026 г.');
    // Preview and send share one path: the same bytes, curation order included.
    expect(ivan.html).toBe(html);
    expect(ivan.text?.trimEnd()).toBe(text.trimEnd());

    // After the send, the preview still shows the edition whole: its own delivery does not hide it.
    const after = await cli(
      'preview',
      'daily',
      '--at',
      '2026-11-28T07:00',
      '--subscriber',
      'ivan.petrov@example.net',
      '--out',
      path.join(dir, 'again'),
    );
    expect(after.code).toBe(0);
    expect(readFileSync(path.join(dir, 'again', 'daily-2026-11-28T0700.html'), 'utf8')).toBe(html);
  });

  it('never shows a subscriber an article twice, across newsletters, and skips the thin digest', async () => {
    const config = project();
    const dir = path.dirname(config);
    const weekly = [
      '  - id: weekly',
      '    title: The Weekly Tidings',
      '    categories: [science, technology, world]',
      '    window: 30d',
      '    perCategory: 9',
      '    minArticles: 2',
      '    languages: any',
      '    from: "Weekly <weekly@tidings.example.org>"',
      '    timezone: Europe/Moscow',
      '',
    ].join('\n');
    writeFileSync(config, readFileSync(config, 'utf8').replace('\nsubscribers:\n', `${weekly}\nsubscribers:\n`));
    const yaml = path.join(dir, 'subscribers', 'example.yaml');
    writeFileSync(
      yaml,
      readFileSync(yaml, 'utf8').replace(
        'newsletters: [daily]\n    locale: ru',
        'newsletters: [daily, weekly]\n    locale: ru',
      ),
    );
    const env = { TIDINGS_SECRET: 'x'.repeat(24) };
    const cli = (...args: string[]) => runCli(['-q', '-c', config, ...args], env, '2026-11-28T07:00:30Z');
    expect((await cli('ingest')).code).toBe(0);
    expect((await cli('subscribers', 'sync')).code).toBe(0);
    const before = await cli(
      'preview',
      'weekly',
      '--at',
      '2026-11-28T10:00',
      '--subscriber',
      'ivan.petrov@example.net',
      '--out',
      path.join(dir, 'p'),
    );
    expect(before.code).toBe(0);
    expect((await cli('send', 'daily', '--at', '2026-11-28T07:00')).code).toBe(0);
    // Ivan got every daily article (accepted): the weekly edition has nothing new for him.
    const after = await cli(
      'preview',
      'weekly',
      '--at',
      '2026-11-28T10:00',
      '--subscriber',
      'ivan.petrov@example.net',
      '--out',
      path.join(dir, 'p'),
    );
    expect(after.code).toBe(1);
    expect(after.err).toMatch(
      /weekly\/2026-11-28T10:00: nothing to preview for ivan\.petrov@example\.net: already received every article of this edition/,
    );
  });

  it('takes a template override folder from templates.dir; a broken template stops the command with file and line, exit 2', async () => {
    const config = project();
    const dir = path.dirname(config);
    writeFileSync(config, `${readFileSync(config, 'utf8')}\ntemplates:\n  dir: my-templates\n`);
    mkdirSync(path.join(dir, 'my-templates', 'partials'), { recursive: true });
    mkdirSync(path.join(dir, 'my-templates', 'locales'));
    writeFileSync(path.join(dir, 'my-templates', 'locales', 'en.json'), '{ "top_story": "Lead story" }');
    const cli = (...args: string[]) => runCli(['-q', '-c', config, ...args], {}, '2026-11-28T07:00:30Z');
    expect((await cli('ingest')).code).toBe(0);
    const good = await cli('preview', 'daily', '--out', path.join(dir, 'preview'));
    expect(good.code).toBe(0);
    expect(readFileSync(path.join(dir, 'preview', 'daily-2026-11-28T0700.html'), 'utf8')).toContain('Lead story');

    const partial = path.join(dir, 'my-templates', 'partials', 'article-card.mjml.hbs');
    writeFileSync(partial, '<mj-text>\n  {{#if url}}<a href="{{url}}">{{title}}</a>\n  {{/each}}\n</mj-text>\n');
    const broken = await cli('preview', 'daily', '--out', path.join(dir, 'preview'));
    expect(broken.code).toBe(2);
    // The block opened on line 2 is closed by the wrong helper.
    expect(broken.err).toContain(`[TEMPLATE_INVALID] ${partial}:2: Handlebars syntax error: if doesn't match each`);

    writeFileSync(partial, '<mj-text>\n  {{title}}\n  {{shout title}}\n</mj-text>\n');
    const run = await cli('run');
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${partial}:3: unknown helper "shout"`);
    // Checked before any work: nothing was ingested again or sent.
    expect(run.out).not.toContain('== ingest');
    expect(readdirSync(dir)).not.toContain('outbox');
  });
});
