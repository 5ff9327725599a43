import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeUrl, linkUrl } from '../../src/ingest/canonical-url.ts';
import { CategoryMapper } from '../../src/ingest/category-mapper.ts';
import { normalizeDraft } from '../../src/ingest/normalize-article.ts';
import { createPageExtractor } from '../../src/ingest/page/page-extractor.ts';
import { parseResource } from '../../src/ingest/parse-input.ts';
import { mapWindows1252Characters } from '../../src/ingest/strip-control-characters.ts';

/**
 * Every input path carries the same story, written with Windows-1252 numeric references
 * (`&#146;`, `&#150;`, `&#x93;`) and raw U+0092 characters, and linked with a trailing
 * slash: a reader must see ’ – “ ” and the link as the source gave it.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/fidelity/', import.meta.url));
const pages = createPageExtractor({
  timeout: 20_000,
  maxDepth: 128,
  maxElements: 50_000,
  maxText: 500_000,
  maxMemory: 96 * 2 ** 20,
});
const mapper = new CategoryMapper({});
afterAll(async () => pages.close());

async function readStory(name: string) {
  const bytes = await readFile(`${FIXTURES}${name}`);
  const parsed = await parseResource(
    { bytes, contentType: null, location: `${FIXTURES}${name}`, isUrl: false },
    { pages },
  );
  expect(parsed.drafts).toHaveLength(1);
  return normalizeDraft(parsed.drafts[0]!, { source: 'harbour', defaultCategories: [], mapper });
}

const C1 = /[\u0080-\u009f]/;

describe('Windows-1252 in every input path', () => {
  for (const name of ['wire.rss', 'wire.json', 'ferry-plan.md', 'ferry-plan.html', 'ferry-plan.txt']) {
    it(`${name}: references 128–159 and raw C1 characters read as Windows-1252`, async () => {
      const article = await readStory(name);
      expect(article.title).toBe('Council’s ferry plan ’approved’');
      expect(article.text).toContain('The council’s vote ended 7–2 with a ’yes’ “at last”.');
      expect(article.title).not.toMatch(C1);
      expect(article.text).not.toMatch(C1);
      expect(article.text).not.toContain('&#');
    });
  }

  it('removes the five code points Windows-1252 leaves undefined', () => {
    expect(mapWindows1252Characters('a\u0081b\u0080c\u009f')).toBe('a\u0081b€cŸ');
    const article = normalizeDraft(
      {
        url: null,
        title: 'x\u008dy\u0085',
        text: 'p\u0090q',
        description: null,
        publishedAt: null,
        labels: [],
        author: null,
        imageUrl: null,
        language: null,
        siteName: null,
      },
      { source: 'harbour', defaultCategories: [], mapper },
    );
    expect(article.title).toBe('xy…');
    expect(article.text).toBe('pq');
  });
});

describe('links as the source gives them', () => {
  it('keeps the trailing slash, parameter order and fragment, dropping only tracking parameters', async () => {
    expect((await readStory('wire.rss')).url).toBe('https://harbour.example/news/ferry-plan/?page=2');
    expect((await readStory('wire.json')).url).toBe('https://harbour.example/news/ferry-plan/#vote');
    expect((await readStory('ferry-plan.md')).url).toBe('https://harbour.example/news/ferry-plan/');
    expect((await readStory('ferry-plan.html')).url).toBe('https://harbour.example/news/ferry-plan/');
    expect(linkUrl('https://a.example/x/?b=2&utm_medium=m&a=1&a=%20&ref=z')).toBe('https://a.example/x/?b=2&a=1&a=%20');
    expect(linkUrl('https://a.example/x/?utm_source=only')).toBe('https://a.example/x/');
    expect(linkUrl('javascript:alert(1)')).toBeNull();
  });

  it('uses the canonical form for the id only: the same story under both spellings is one article', async () => {
    const md = await readStory('ferry-plan.md');
    const html = await readStory('ferry-plan.html');
    expect(md.id).toBe(html.id);
    expect(canonicalizeUrl(md.url)).toBe('https://harbour.example/news/ferry-plan');
  });
});
