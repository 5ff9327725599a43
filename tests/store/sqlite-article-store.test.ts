import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { contentHashFor } from '../../src/ingest/normalize-article.ts';
import { makeRecord } from '../helpers/article-records.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const at = new Date('2026-11-28T06:00:00Z');

describe('SQLite article store (real file)', () => {
  const tempDir = useTempDir();
  const open = () => openSqliteStore(path.join(tempDir(), 'nested', 'tidings.db'));

  it('creates the file in WAL mode with every migration applied', () => {
    const file = path.join(tempDir(), 'a.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    db.close();
    // Reopening applies nothing twice.
    openDatabase(file).close();
  });

  it('upserts: new, then unchanged, then updated with a new content hash', async () => {
    const store = open();
    const record = makeRecord();
    expect((await store.articles.saveArticles([record], at)).new).toBe(1);
    expect((await store.articles.saveArticles([record], at)).unchanged).toBe(1);
    const changed = { ...record, title: 'A better title', contentHash: contentHashFor('A better title', record.text) };
    expect((await store.articles.saveArticles([changed], new Date('2026-11-28T07:00:00Z'))).updated).toBe(1);
    const stored = await store.articles.getArticle(record.id);
    expect(stored).toMatchObject({ title: 'A better title', contentHash: changed.contentHash, firstSeenAt: at.toISOString() });
    expect(stored!.updatedAt).toBe('2026-11-28T07:00:00.000Z');
    store.close();
  });

  it('treats the same content under another URL as a duplicate', async () => {
    const store = open();
    const first = makeRecord({ title: 'Same', text: 'Same words.' });
    const copy = makeRecord({ title: 'Same', text: 'Same words.', url: 'https://mirror.example.net/copy' });
    await store.articles.saveArticles([first], at);
    const report = await store.articles.saveArticles([copy], at);
    expect(report.duplicate).toBe(1);
    expect(await store.articles.listArticles()).toHaveLength(1);
    store.close();
  });

  it('keeps the first source when another source brings the same canonical URL', async () => {
    const store = open();
    const first = makeRecord({ id: 'same-url', source: 'wire', categories: ['security'] });
    // Another feed lists the same story: shorter text, no category.
    const other = makeRecord({ id: 'same-url', source: 'aggregator', text: 'Shorter.', categories: [], categoryOrigin: 'none' });
    await store.articles.saveArticles([first], at);
    const report = await store.articles.saveArticles([other], at);
    expect(report).toMatchObject({ duplicate: 1, updated: 0 });
    expect(await store.articles.getArticle('same-url')).toMatchObject({ source: 'wire', categories: ['security'], text: first.text });
    store.close();
  });

  it('saves a source all or nothing', async () => {
    const store = open();
    const good = makeRecord();
    const bad = makeRecord({ title: null as unknown as string });
    await expect(store.articles.saveArticles([good, bad], at)).rejects.toThrow(/NOT NULL/);
    expect(await store.articles.listArticles()).toHaveLength(0);
    store.close();
  });

  it('lists by category, time and uncategorized, newest first', async () => {
    const store = open();
    await store.articles.saveArticles(
      [
        makeRecord({ id: 'old', publishedAt: '2026-11-20T00:00:00.000Z', categories: ['security'] }),
        makeRecord({ id: 'new', publishedAt: '2026-11-27T00:00:00.000Z', categories: ['security', 'technology'] }),
        makeRecord({ id: 'none', publishedAt: null, categories: ['gardening'], categoryOrigin: 'none' }),
      ],
      at,
    );
    expect((await store.articles.listArticles({ category: 'security' })).map((a) => a.id)).toEqual(['new', 'old']);
    expect((await store.articles.listArticles({ since: new Date('2026-11-25T00:00:00Z') })).map((a) => a.id)).toEqual(['none', 'new']);
    expect((await store.articles.listArticles({ uncategorized: true })).map((a) => a.id)).toEqual(['none']);
    store.close();
  });

  it('keeps classifier labels until the source gives a category, and trains only on source labels', async () => {
    const store = open();
    const record = makeRecord({ id: 'c', categories: [], categoryOrigin: 'none' });
    await store.articles.saveArticles([record, makeRecord({ id: 'labelled' })], at);
    await store.articles.setClassifiedCategories([{ id: 'c', categories: ['security'], origin: 'classifier' }], at);
    expect((await store.articles.saveArticles([record], at)).unchanged).toBe(1);
    expect((await store.articles.getArticle('c'))!.categories).toEqual(['security']);
    expect((await store.articles.listTrainingExamples()).map((e) => e.id)).toEqual(['labelled']);
    expect((await store.articles.listArticles({ category: 'security' })).map((a) => a.id)).toEqual(['c']);
    store.close();
  });

  it('caches summaries per content hash and version', async () => {
    const store = open();
    await store.articles.putCachedSummary('h1', 'v1', 'A summary.');
    expect(await store.articles.getCachedSummary('h1', 'v1')).toBe('A summary.');
    expect(await store.articles.getCachedSummary('h1', 'v2')).toBeNull();
    store.close();
  });
});
