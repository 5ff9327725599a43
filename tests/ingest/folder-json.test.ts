import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { parseJsonArticles } from '../../src/ingest/folder/parse-json-articles.ts';

const folder = join(import.meta.dirname, '..', 'fixtures', 'folder');

function errorOf(run: () => unknown): SourceError {
  try {
    run();
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('parseJsonArticles', () => {
  it('reads an array of articles with their aliases', () => {
    const drafts = parseJsonArticles(readFileSync(join(folder, 'articles.json'), 'utf8'), {
      fileName: 'articles.json',
    });
    expect(drafts).toEqual([
      {
        url: 'https://riverside.example/news/bridge',
        title: 'Bridge reopens after repairs',
        text: 'The old bridge reopened on Monday.\n\nCyclists get a new lane.',
        description: null,
        publishedAt: '2024-04-15T07:00:00.000Z',
        labels: ['Transport'],
        author: 'Ben Ode',
        imageUrl: 'https://riverside.example/img/bridge.jpg',
        language: null,
        siteName: null,
      },
      {
        url: null, // javascript: link dropped
        title: 'Market moves indoors',
        text: 'The Saturday market moves into the old tram depot for the winter.',
        description: null,
        publishedAt: '2023-11-15T00:00:00.000Z',
        labels: ['Business', 'Local'],
        author: null,
        imageUrl: null,
        language: 'en',
        siteName: null,
      },
    ]);
  });

  it('reads one object, and an { articles: [...] } wrapper', () => {
    const one = { title: 'Solo', content: 'Plain content', summary: '<p>Short <i>note</i></p>', lang: 'de-de' };
    expect(parseJsonArticles(JSON.stringify(one), { fileName: 'one.json' })).toMatchObject([
      { title: 'Solo', text: 'Plain content', description: 'Short note', language: 'de-DE' },
    ]);
    expect(parseJsonArticles(JSON.stringify({ articles: [one, one] }), { fileName: 'w.json' })).toHaveLength(2);
  });

  it('keeps a <script> title as text', () => {
    const [draft] = parseJsonArticles(
      '{"title":"<script>alert(1)</script>","html":"<script>bad()</script><p>ok</p>"}',
      {
        fileName: 'h.json',
      },
    );
    expect(draft).toMatchObject({ title: '<script>alert(1)</script>', text: 'ok' });
  });

  it('names the file, index and field of an invalid element', () => {
    const items = [{ title: 'a' }, { title: 'b' }, { text: 'no title' }];
    const error = errorOf(() => parseJsonArticles(JSON.stringify(items), { fileName: 'samples/a.json' }));
    expect(error.code).toBe('SOURCE_PARSE');
    expect(error.message).toBe('samples/a.json: [2].title: is required');
  });

  it('reports wrong types and bad dates by field', () => {
    const items = [{ title: 7 }, { title: 'x', publishedAt: 'next week' }, { title: 'y', tags: { a: 1 } }];
    const { message } = errorOf(() => parseJsonArticles(JSON.stringify(items), { fileName: 'b.json' }));
    expect(message).toContain('[0].title: must be a string, not a number');
    expect(message).toContain('[1].publishedAt: is not a date');
    expect(message).toContain('[2].tags: has the wrong type');
    expect(errorOf(() => parseJsonArticles('{"title":" "}', { fileName: 'c.json' })).message).toBe(
      'c.json: title: must not be empty',
    );
  });

  it('names the file, line and column of invalid JSON', () => {
    const text = '[\n  {"title": "a"},\n  {"title": }\n]';
    const error = errorOf(() => parseJsonArticles(text, { fileName: 'bad.json' }));
    expect(error.where).toBe('bad.json:3:13');
    expect(error.message).toMatch(/^bad\.json:3:13: invalid JSON/);
    expect(errorOf(() => parseJsonArticles('{"a": 1', { fileName: 'cut.json' })).where).toBe('cut.json:1:8');
  });

  it('rejects JSON that is not an article object or array', () => {
    expect(() => parseJsonArticles('"just a string"', { fileName: 's.json' })).toThrow(
      /s\.json: expected an article object/,
    );
    expect(parseJsonArticles('[]', { fileName: 'e.json' })).toEqual([]);
  });
});
