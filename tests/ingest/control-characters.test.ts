import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArticleDraft } from '../../src/core/article.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';
import { CategoryMapper } from '../../src/ingest/category-mapper.ts';
import { normalizeDraft } from '../../src/ingest/normalize-article.ts';
import {
  mapWindows1252References,
  stripLineControls,
  stripTextControls,
} from '../../src/ingest/strip-control-characters.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

// Every C0 control but tab and line feed, DEL, and every C1 control.
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ESC = '\u001b';

describe('control characters are removed at normalization', () => {
  const context = { source: 'wire', defaultCategories: [], mapper: new CategoryMapper({}) };
  const draft: ArticleDraft = {
    url: `https://wire.example/a\u0000b`,
    title: `Red ${ESC}[31malert${ESC}[0m\u0007 over\u0085`,
    text: `First\u0000 paragraph\twith a tab.\r\n\r\nSecond ${ESC}]0;owned\u0007paragraph\u009b.`,
    description: `Short\u0008 description\u007f.`,
    publishedAt: '2026-11-30T10:00:00Z',
    labels: [`Sec\u0000urity`],
    author: `Ann\u0001 Lee`,
    imageUrl: `https://wire.example/i.png\u0000`,
    language: `en\u001b`,
    siteName: null,
  };

  it('from every field, keeping tabs and line breaks in text', () => {
    const record = normalizeDraft(draft, context);
    for (const [field, value] of Object.entries(record)) {
      expect(JSON.stringify(value) ?? '', field).not.toMatch(/\\u00[01][0-9a-f]|\\u007f/);
      if (typeof value === 'string') expect(value, field).not.toMatch(FORBIDDEN);
    }
    // Raw C1 characters are read as Windows-1252 (U+0085 is …, U+009B is ›), so the
    // terminal's CSI never survives either.
    expect(record.title).toBe('Red [31malert[0m over…');
    expect(record.text).toBe('First paragraph with a tab.\n\nSecond ]0;ownedparagraph›.');
    expect(record.description).toBe('Short description.');
    expect(record.author).toBe('Ann Lee');
    expect(record.categories).toEqual(['security']);
    expect(record.language).toBe('en');
    expect(record.url).toBe('https://wire.example/ab');
  });

  it('line fields lose tab and newline to a space, text keeps them', () => {
    expect(stripLineControls('a\tb\nc\r\nd\u0000e')).toBe('a b c  de');
    expect(stripTextControls('a\tb\r\nc\rd\u0000\u0081e\u009f')).toBe('a\tb\nc\ndeŸ');
  });
});

describe('Windows-1252 numeric references map to their characters', () => {
  it('rewrites &#128;–&#159; and hex forms, and leaves the rest alone', () => {
    expect(mapWindows1252References('It&#146;s &#x93;quoted&#x94; &#150; &#128;5 &#8217; &#65; &#x9D;')).toBe(
      'It&#8217;s &#8220;quoted&#8221; &#8211; &#8364;5 &#8217; &#65; &#x9D;',
    );
  });

  it('in a feed: &#146; is an apostrophe, &#27; and an undefined &#157; are removed at normalization', () => {
    const feed = parseFeed(
      '<rss><channel><item><title>It&#146;s &#147;done&#148; &#27;[2J&#157;</title><link>https://w.example/1</link>' +
        '<description>&lt;p&gt;Don&amp;#146;t panic&lt;/p&gt;</description></item></channel></rss>',
      { baseUrl: null },
    );
    const record = normalizeDraft(feed.drafts[0]!, {
      source: 'w',
      defaultCategories: [],
      mapper: new CategoryMapper({}),
    });
    expect(record.title).toBe('It’s “done” [2J');
    expect(record.text).toBe('Don’t panic');
  });
});

describe('nothing stored holds a control character', () => {
  const tempDir = useTempDir();

  it('after ingesting a feed and a JSON file full of them', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'drop'));
    writeFileSync(
      path.join(dir, 'drop', 'feed.xml'),
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire&#27;</title><item><title>Bell&#7; and &#x1b;[31mcolour</title>` +
        `<link>https://wire.example/1</link><author>a@wire.example (Ann&#0; Lee)</author><description>Text with &#128; and &#146; and &#x85;.</description></item></channel></rss>`,
    );
    writeFileSync(
      path.join(dir, 'drop', 'story.json'),
      JSON.stringify({
        title: `JSON ${ESC}[1mtitle\u0000`,
        url: 'https://wire.example/2',
        text: `Body\u0000 with\u009b escapes.\n\nSecond ${ESC}[2J paragraph.`,
      }),
    );
    writeFileSync(
      path.join(dir, 'config.yaml'),
      'store: { path: t.db }\nsources:\n  - { name: drop, type: folder, path: drop }\n',
    );
    const ingest = await runCli(['-q', '-c', path.join(dir, 'config.yaml'), 'ingest']);
    expect(ingest.out).toMatch(/drop\s+ok\s+new 2/);

    const listed = await runCli(['-q', '-c', path.join(dir, 'config.yaml'), 'articles', '--json']);
    expect(listed.out).not.toMatch(FORBIDDEN);
    expect(listed.out).not.toMatch(/\\u00[01][0-9a-f]|\\u007f/);
    const articles = JSON.parse(listed.out) as { title: string; text: string; author: string | null }[];
    const titles = articles.map((article) => article.title).sort();
    expect(titles).toEqual(['Bell and [31mcolour', 'JSON [1mtitle']);
    const fromFeed = articles.find((article) => article.title.startsWith('Bell'))!;
    expect(fromFeed.text).toBe('Text with € and ’ and ….'); // &#x85; is Windows-1252's ellipsis
  });
});
