import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_TABLES } from '../../../src/store/copy/store-tables.ts';
import { openPostgresStore } from '../../../src/store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite-store.ts';
import { makeRecord } from '../../helpers/article-records.ts';
import { runCli } from '../../helpers/cli-run.ts';
import { PG_TEST_URL, createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';

const at = new Date('2026-11-28T06:00:00Z');

/** A SQLite install with rows in every content table, written through the ports. */
async function populate(file: string): Promise<void> {
  const store = openSqliteStore(file);
  await store.articles.saveArticles(
    [
      makeRecord({ id: 'a1', title: 'Quantum router shipped', categories: ['technology', 'science'] }),
      makeRecord({ id: 'a2', title: 'Ünïcødé “title” 🦉', text: 'Line one.\nLine two.', publishedAt: null, url: null }),
      ...Array.from({ length: 1200 }, (_, i) => makeRecord({ id: `bulk-${String(i).padStart(4, '0')}` })),
    ],
    at,
  );
  await store.articles.putCachedSummary('hash', 'v1', 'A cached summary.');
  await store.editions.createEdition(
    {
      id: 'daily/2026-11-28T07:00',
      newsletterId: 'daily',
      slot: '2026-11-28T07:00:00+00:00',
      slotUtc: '2026-11-28T07:00:00.000Z',
      status: 'draft',
      statusReason: null,
      articles: [
        {
          articleId: 'a1',
          category: 'technology',
          position: 1,
          title: 'Quantum router shipped',
          summary: null,
          url: null,
          source: 'wire',
          sourceTitle: 'Wire',
          author: null,
          imageUrl: null,
          publishedAt: null,
        },
      ],
    },
    at,
  );
  await store.editions.updatePick('daily/2026-11-28T07:00', 'a1', { pinned: true, titleOverride: 'Rewritten' });
  await store.editions.addBlock('daily', {
    kind: 'source',
    value: 'zeta',
    blockedBy: 'alice',
    blockedAt: at.toISOString(),
  });
  await store.editions.addBlock('daily', {
    kind: 'article',
    value: 'a2',
    blockedBy: 'alice',
    blockedAt: at.toISOString(),
  });
  const alice = await store.editors.addEditor({
    name: 'alice',
    email: 'alice@example.org',
    role: 'admin',
    passwordHash: 'scrypt$x',
    createdAt: at.toISOString(),
  });
  await store.editors.addEditor({
    name: 'bob',
    email: 'bob@example.org',
    role: 'editor',
    passwordHash: 'scrypt$y',
    createdAt: at.toISOString(),
  });
  await store.editors.createSession('session-hash', {
    editorId: alice.id,
    csrfToken: 'csrf',
    createdAt: at.toISOString(),
    lastSeenAt: at.toISOString(),
  });
  await store.audit.record({
    at: at.toISOString(),
    actor: 'alice',
    action: 'pin',
    newsletterId: 'daily',
    editionId: 'daily/2026-11-28T07:00',
    details: { articleId: 'a1' },
  });
  await store.sources.recordSuccess('wire', at, {
    location: 'http://wire/feed',
    validators: { etag: '"1"', lastModified: null },
  });
  await store.sources.recordFailure('wire', at, { error: 'HTTP 503', errorCode: 'SOURCE_FETCH' });
  await store.pages.putPage({
    url: 'https://news.example.org/p',
    validators: { etag: null, lastModified: null },
    title: 'P',
    text: 'Page text.',
    imageUrl: null,
    language: 'fr',
    fetchedAt: at.toISOString(),
  });
  await store.close();
}

describe.skipIf(!PG_TEST_URL)('tidings store copy --to postgres://… (real SQLite file, real PostgreSQL)', () => {
  const tempDir = useTempDir('tidings-store-copy-');
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('tidings_copy');
  });
  afterAll(async () => {
    await database?.drop();
  });

  function workspace(): { dir: string; config: string; file: string } {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(config, 'store:\n  path: data/tidings.db\n');
    return { dir, config, file: path.join(dir, 'data', 'tidings.db') };
  }

  it('copies every table, says how many rows each, and the PostgreSQL store reads them back through the ports', async () => {
    const { config, file } = workspace();
    await populate(file);
    const run = await runCli(['-c', config, 'store', 'copy', '--to', database.url], {}, at.toISOString());
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    // The password never reaches the output.
    expect(run.out).not.toContain(`:${new URL(database.url).password}@`);
    expect(run.out).toContain(`postgres://${new URL(database.url).username}@`);
    const counts = Object.fromEntries([...run.out.matchAll(/^ {2}(\w+) +(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
    expect(counts).toMatchObject({
      articles: 1202,
      article_categories: 1203,
      summary_cache: 1,
      editions: 1,
      edition_articles: 1,
      newsletter_blocks: 2,
      editors: 2,
      desk_sessions: 1,
      audit_log: 1,
      source_fetch_state: 1,
      page_cache: 1,
    });
    expect(Object.keys(counts)).toEqual(STORE_TABLES.filter((t) => t in counts));
    expect(run.out).toMatch(/Copied 2416 rows in \d+ tables; every table's row count checked on the target\./);

    const sqlite = openSqliteStore(file);
    const pg = await openPostgresStore(database.url);
    try {
      expect(await pg.articles.getArticle('a2')).toEqual(await sqlite.articles.getArticle('a2'));
      expect(await pg.articles.listArticles({ limit: 50 })).toEqual(await sqlite.articles.listArticles({ limit: 50 }));
      expect(await pg.editions.listEditions()).toEqual(await sqlite.editions.listEditions());
      expect(await pg.editions.listBlocks('daily')).toEqual(await sqlite.editions.listBlocks('daily'));
      expect(await pg.editors.listEditors()).toEqual(await sqlite.editors.listEditors());
      expect(await pg.editors.getSession('session-hash')).toEqual(await sqlite.editors.getSession('session-hash'));
      expect(await pg.audit.list({})).toEqual(await sqlite.audit.list({}));
      expect(await pg.sources.listStates()).toEqual(await sqlite.sources.listStates());
      expect(await pg.pages.getPage('https://news.example.org/p')).toEqual(
        await sqlite.pages.getPage('https://news.example.org/p'),
      );
      expect(await pg.articles.getCachedSummary('hash', 'v1')).toBe('A cached summary.');
      // The search index is built from the copied rows.
      expect((await pg.articles.searchArticles('quantum rout', 5)).map((a) => a.id)).toEqual(['a1']);
      // Identities continue after the copied ids.
      const carol = await pg.editors.addEditor({
        name: 'carol',
        email: 'carol@example.org',
        role: 'editor',
        passwordHash: 'h',
        createdAt: at.toISOString(),
      });
      expect(carol.id).toBe(3);
      await pg.audit.record({
        at: at.toISOString(),
        actor: 'carol',
        action: 'login',
        newsletterId: null,
        editionId: null,
        details: {},
      });
      expect((await pg.audit.list({}))[0]).toMatchObject({ id: 2, actor: 'carol' });
    } finally {
      await sqlite.close();
      await pg.close();
    }

    // A target that holds rows is refused (exit 2) unless --force, which replaces them.
    const again = await runCli(['-c', config, 'store', 'copy', '--to', database.url], {}, at.toISOString());
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/the target already holds rows \(articles, .*editors.*\): pass --force/);
    const forced = await runCli(['-c', config, 'store', 'copy', '--to', database.url, '--force'], {}, at.toISOString());
    expect(forced.code).toBe(0);
    const check = await openPostgresStore(database.url);
    try {
      expect((await check.editors.listEditors()).map((e) => e.name)).toEqual(['alice', 'bob']);
    } finally {
      await check.close();
    }
  });

  it('rolls the whole copy back when a row cannot be written, naming the table', async () => {
    const { config, file } = workspace();
    await populate(file);
    // PostgreSQL text cannot hold NUL characters; SQLite can.
    const raw = new Database(file);
    raw.prepare('UPDATE page_cache SET text = ?').run('before\u0000after');
    raw.close();
    const empty = await createTestDatabase('tidings_copy_fail');
    try {
      const run = await runCli(['-c', config, 'store', 'copy', '--to', empty.url], {}, at.toISOString());
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/\[STORE_FAILED\] copying page_cache: .*0x00/);
      const pg = await openPostgresStore(empty.url);
      try {
        expect(await pg.articles.listArticles({ limit: 1 })).toEqual([]);
        expect(await pg.editors.listEditors()).toEqual([]);
      } finally {
        await pg.close();
      }
    } finally {
      await empty.drop();
    }
  });

  it('refuses a SQLite file that does not exist rather than copying an empty store', async () => {
    const { config } = workspace();
    const run = await runCli(
      ['-c', config, 'store', 'copy', '--to', database.url, '--from', 'missing.db'],
      {},
      at.toISOString(),
    );
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/no SQLite store at .*missing\.db/);
  });
});
