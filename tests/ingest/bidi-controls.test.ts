import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CategoryMapper } from '../../src/ingest/category-mapper.ts';
import { parseFeed } from '../../src/ingest/feed/parse-feed.ts';
import { normalizeDraft } from '../../src/ingest/normalize-article.ts';
import { stripBidiControls } from '../../src/ingest/strip-control-characters.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

// Embeddings, overrides and isolates, and the three marks.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
const context = { source: 'wire', defaultCategories: [], mapper: new CategoryMapper({}) };

describe('bidi controls are removed at ingest normalization', () => {
  it('a right-to-left override in a feed title, author and source name does not survive', () => {
    const feed = parseFeed(
      '<rss><channel><title>Wire &#x202E;gro.live</title><item><title>Invoice &#x202E;fdp.exe&#x202C; attached</title>' +
        '<link>https://w.example/1</link><author>a@w.example (Ann &#x2067;Lee&#x2069;)</author>' +
        '<description>Body &#x202D;text&#x202C; &#x200F;here.</description></item></channel></rss>',
      { baseUrl: null },
    );
    const record = normalizeDraft(feed.drafts[0]!, context);
    expect(record.title).toBe('Invoice fdp.exe attached');
    expect(record.author).toBe('Ann Lee');
    expect(record.sourceTitle).toBe('Wire gro.live');
    expect(record.text).toBe('Body text here.');
    for (const value of Object.values(record)) if (typeof value === 'string') expect(value).not.toMatch(BIDI);
  });

  it('keeps the marks that right-to-left text needs, and drops them where there is none', () => {
    // Hebrew with a mark after a number: the mark stays; the override goes.
    expect(stripBidiControls('שלום 5\u200F km\u202E')).toBe('שלום 5\u200F km');
    expect(stripBidiControls('Price\u200E: 5\u061C €')).toBe('Price: 5 €');
    expect(stripBidiControls('plain')).toBe('plain');
  });

  const tempDir = useTempDir();

  it('nothing ingested from a folder holds one (inspect and articles)', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'drop'));
    writeFileSync(
      path.join(dir, 'drop', 'story.json'),
      JSON.stringify({
        title: 'Report \u202Etxt.daolnwod\u202C now',
        url: 'https://wire.example/2',
        author: 'Eve \u2066Ops\u2069',
        text: 'Body.',
      }),
    );
    writeFileSync(
      path.join(dir, 'config.yaml'),
      'store: { path: t.db }\nsources:\n  - { name: drop, type: folder, path: drop }\n',
    );
    const inspect = await runCli([
      '-q',
      '-c',
      path.join(dir, 'config.yaml'),
      'inspect',
      '--json',
      path.join(dir, 'drop', 'story.json'),
    ]);
    expect(inspect.code, inspect.err).toBe(0);
    expect(JSON.parse(inspect.out)[0].title).toBe('Report txt.daolnwod now');
    expect((await runCli(['-q', '-c', path.join(dir, 'config.yaml'), 'ingest'])).code).toBe(0);
    const listed = await runCli(['-q', '-c', path.join(dir, 'config.yaml'), 'articles', '--json']);
    const [article] = JSON.parse(listed.out) as { title: string; author: string | null }[];
    expect(article).toMatchObject({ title: 'Report txt.daolnwod now', author: 'Eve Ops' });
  });
});
