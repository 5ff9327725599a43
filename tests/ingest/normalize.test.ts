import { describe, expect, it } from 'vitest';
import type { ArticleDraft } from '../../src/core/article.ts';
import { canonicalizeUrl } from '../../src/ingest/canonical-url.ts';
import { CategoryMapper } from '../../src/ingest/category-mapper.ts';
import { normalizeDraft } from '../../src/ingest/normalize-article.ts';

const mapper = new CategoryMapper({
  security: { title: 'Security', aliases: ['Cybersécurité', 'infosec'], keywords: [] },
  technology: { title: 'Technology', aliases: ['tech'], keywords: [] },
});

function draft(overrides: Partial<ArticleDraft> = {}): ArticleDraft {
  return {
    url: 'https://News.Example.org/a/story/?utm_source=x&id=7&fbclid=y#top',
    title: '  A   story ',
    text: 'First  paragraph.\r\n\r\n\r\nSecond\nparagraph.',
    description: null,
    publishedAt: 'Tue, 24 Nov 2026 10:00:00 +0100',
    labels: [],
    author: null,
    imageUrl: null,
    language: 'EN',
    siteName: null,
    ...overrides,
  };
}

describe('canonical URLs', () => {
  it('drops tracking parameters, fragments, default ports and trailing slashes', () => {
    expect(canonicalizeUrl('https://News.Example.org:443/a/story/?utm_source=x&id=7&fbclid=y#top')).toBe(
      'https://news.example.org/a/story?id=7',
    );
  });
  it('rejects anything but http(s)', () => {
    expect(canonicalizeUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalizeUrl('mailto:a@example.org')).toBeNull();
    expect(canonicalizeUrl('/relative')).toBeNull();
  });
});

describe('category mapping', () => {
  it('maps labels through titles and aliases, case- and accent-insensitively', () => {
    expect(mapper.map(['CYBERSECURITE', 'Tech']).configured.sort()).toEqual(['security', 'technology']);
  });
  it('keeps unknown labels as slugs and adds source defaults', () => {
    expect(mapper.map(['Local News'], ['technology'])).toEqual({ configured: ['technology'], unknown: ['local-news'] });
  });
  it('finds a configured category inside a path label', () => {
    expect(mapper.map(['News / InfoSec']).configured).toEqual(['security']);
  });
});

describe('normalizeDraft', () => {
  const context = { source: 'wire', defaultCategories: [], mapper };

  it('gives the same id to the same story with or without tracking parameters', () => {
    const a = normalizeDraft(draft(), context);
    const b = normalizeDraft(draft({ url: 'https://news.example.org/a/story?id=7' }), context);
    expect(a.id).toBe(b.id);
    // The canonical form names the story; the stored link keeps the source's path,
    // trailing slash and fragment, minus the tracking parameters.
    expect(a.url).toBe('https://news.example.org/a/story/?id=7#top');
    expect(b.url).toBe('https://news.example.org/a/story?id=7');
  });

  it('cleans title, paragraphs, time and language', () => {
    const record = normalizeDraft(draft(), context);
    expect(record.title).toBe('A story');
    expect(record.text).toBe('First paragraph.\n\nSecond paragraph.');
    expect(record.publishedAt).toBe('2026-11-24T09:00:00.000Z');
    expect(record.language).toBe('en');
    expect(record.summary).toBeNull();
  });

  it('derives the id from source and title when there is no URL', () => {
    const a = normalizeDraft(draft({ url: null }), context);
    const b = normalizeDraft(draft({ url: null }), { ...context, source: 'other' });
    expect(a.id).not.toBe(b.id);
    expect(a.url).toBeNull();
  });

  it('records whether a configured category came from the source', () => {
    expect(normalizeDraft(draft({ labels: ['infosec'] }), context).categoryOrigin).toBe('source');
    const unknown = normalizeDraft(draft({ labels: ['Gardening'] }), context);
    expect(unknown.categoryOrigin).toBe('none');
    expect(unknown.categories).toEqual(['gardening']);
  });

  it('keeps only http(s) image URLs and unparseable dates become null', () => {
    const record = normalizeDraft(
      draft({ imageUrl: 'data:image/png;base64,AAA', publishedAt: 'yesterday-ish' }),
      context,
    );
    expect(record.imageUrl).toBeNull();
    expect(record.publishedAt).toBeNull();
  });
});
