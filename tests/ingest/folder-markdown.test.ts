import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { parseMarkdownArticle } from '../../src/ingest/folder/parse-markdown-article.ts';

const folder = join(import.meta.dirname, '..', 'fixtures', 'folder');

describe('parseMarkdownArticle', () => {
  it('reads front matter and turns the body into plain paragraphs', () => {
    const fileName = 'archive/2024/2024-05-01-river-festival.md';
    const draft = parseMarkdownArticle(readFileSync(join(folder, fileName), 'utf8'), { fileName });
    expect(draft).toEqual({
      url: 'https://riverside.example/news/festival',
      title: 'River festival returns after three years',
      text: [
        'The river festival is back on the quay this weekend, with boat races and more than forty food stalls.',
        'Programme',
        'Saturday: boat races from 10:00',
        'Sunday: concerts on the floating stage',
        'gates open 09:00',
      ].join('\n\n'),
      description: 'Boats, music and food stalls are back on the quay this weekend.',
      publishedAt: '2024-05-01T10:00:00.000Z',
      labels: ['Culture', 'Events', 'music', 'food'],
      author: 'Ada Kowal',
      imageUrl: 'https://riverside.example/img/festival.jpg',
      language: 'en',
      siteName: null,
    });
  });

  it('takes the title from a setext or # heading, then from the file name', () => {
    const fileName = 'ferry-timetable.markdown';
    const draft = parseMarkdownArticle(readFileSync(join(folder, fileName), 'utf8'), { fileName });
    expect(draft.title).toBe('Ferry timetable changes');
    expect(draft.text).toBe('From June the morning ferry leaves at 07:15 instead of 07:00.');
    expect(parseMarkdownArticle('# Heading title\n\nBody.', { fileName: 'a.md' })).toMatchObject({
      title: 'Heading title',
      text: 'Body.',
    });
    expect(parseMarkdownArticle('Just a body.', { fileName: 'notes/2023-09-30_quiet-week.md' })).toMatchObject({
      title: 'quiet week',
      publishedAt: '2023-09-30T00:00:00.000Z',
    });
  });

  it('strips inline markup but keeps code and literal characters', () => {
    const body = [
      'Use `a_b*c` with __care__, ~~not~~ _this_ and snake_case_name, 2 * 3 * 4.',
      '',
      '> Quoted **line**',
      '',
      '1. first [link][ref]',
      '2. second <https://example.org/x>',
      '',
      '| City | Rain |',
      '|------|------|',
      '| Oslo | 12 mm |',
      '',
      '<div><p>Inline HTML &amp; more</p></div>',
      '',
      '[ref]: https://example.org/ref',
    ].join('\n');
    expect(parseMarkdownArticle(body, { fileName: 'x.md' }).text.split('\n\n')).toEqual([
      'Use a_b*c with care, not this and snake_case_name, 2 * 3 * 4.',
      'Quoted line',
      'first link',
      'second https://example.org/x',
      'City · Rain',
      'Oslo · 12 mm',
      'Inline HTML & more',
    ]);
  });

  it('uses the first body image as the lead image when front matter has none', () => {
    const draft = parseMarkdownArticle(
      '---\ntitle: T\nurl: https://a.example/p\n---\n![Crane](https://a.example/crane.jpg "Crane")\n\nText.',
      {
        fileName: 'i.md',
      },
    );
    expect(draft.imageUrl).toBe('https://a.example/crane.jpg');
    expect(draft.text).toBe('Text.');
  });

  it('keeps hostile markup as inert text and drops non-http links', () => {
    const draft = parseMarkdownArticle(
      '---\ntitle: "<script>alert(1)</script> Notes"\nurl: javascript:alert(1)\nimage: data:image/png;base64,AA\n---\n[click](javascript:alert(2)) here',
      { fileName: 'x.md' },
    );
    expect(draft.title).toBe('<script>alert(1)</script> Notes');
    expect(draft.url).toBeNull();
    expect(draft.imageUrl).toBeNull();
    expect(draft.text).toBe('click here');
  });

  it('names the file and line of bad front matter', () => {
    const text = '---\ntitle: Fine\ntags: [a, b\nauthor: x\n---\nBody';
    expect(() => parseMarkdownArticle(text, { fileName: 'posts/bad.md' })).toThrow(SourceError);
    expect(() => parseMarkdownArticle(text, { fileName: 'posts/bad.md' })).toThrow(
      /^posts\/bad\.md:\d+: invalid front matter/,
    );
    const where = (() => {
      try {
        parseMarkdownArticle('---\ntitle: a\ntitle: b\n---\n', { fileName: 'dup.md' });
      } catch (error) {
        return (error as SourceError).where;
      }
    })();
    expect(where).toBe('dup.md:3');
  });

  it('rejects unclosed front matter, a non-mapping and a bad date', () => {
    expect(() => parseMarkdownArticle('---\ntitle: x\n\nBody', { fileName: 'u.md' })).toThrow(
      /^u\.md:1: .*never closed/,
    );
    expect(() => parseMarkdownArticle('---\n- a\n- b\n---\n', { fileName: 'l.md' })).toThrow(/l\.md:2: .*mapping/);
    expect(() => parseMarkdownArticle('---\ntitle: x\ndate: someday\n---\n', { fileName: 'd.md' })).toThrow(
      /^d\.md:3: .*not a date/,
    );
  });
});
