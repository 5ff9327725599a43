import type { ArticleRecord } from '../../src/core/stored-article.ts';
import { contentHashFor } from '../../src/ingest/normalize-article.ts';

let counter = 0;

/** An article record for store and edition tests; every field can be overridden. */
export function makeRecord(overrides: Partial<ArticleRecord> = {}): ArticleRecord {
  counter += 1;
  const title = overrides.title ?? `Story number ${counter}`;
  const text = overrides.text ?? `Body of story ${counter}. It has two sentences.`;
  return {
    id: `id-${counter}`,
    url: `https://news.example.org/story-${counter}`,
    title,
    text,
    summary: `Summary of story ${counter}.`,
    publishedAt: '2026-11-27T08:00:00.000Z',
    categories: ['technology'],
    source: 'wire',
    sourceTitle: 'Wire',
    author: null,
    imageUrl: null,
    language: 'en',
    description: null,
    contentHash: contentHashFor(title, text),
    categoryOrigin: 'source',
    ...overrides,
  };
}
