import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/context.ts';
import { loadConfig, parseConfig } from '../../../src/config/load-config.ts';
import { createFixedClock } from '../../../src/core/clock.ts';
import { createSilentLogger } from '../../../src/core/logger.ts';
import { openStore } from '../../../src/store/open-store.ts';
import { isTidingsError, type TidingsError } from '../../../src/core/errors.ts';
import { PgDatabase } from '../../../src/store/postgres/pg-database.ts';
import { toStoreError } from '../../../src/store/sqlite/guard-store-errors.ts';
import { runCli } from '../../helpers/cli-run.ts';
import { startFixtureServer } from '../../helpers/http-fixture-server.ts';
import { PG_TEST_URL, createTestDatabase, type TestDatabase } from '../../helpers/postgres.ts';
import { useTempDir } from '../../helpers/temp-dir.ts';

describe('store.url in the configuration', () => {
  it('selects PostgreSQL with store.path at its default, and refuses it beside another path or as another scheme', () => {
    expect(
      parseConfig({ store: { url: '${DATABASE_URL}' } }, { DATABASE_URL: 'postgres://app:pw@db/news' }).store,
    ).toMatchObject({
      url: 'postgres://app:pw@db/news',
      path: 'data/tidings.db',
      poolSize: 10,
    });
    expect(parseConfig({ store: { url: 'postgresql://db/news', path: 'data/tidings.db' } }, {}).store.url).toBe(
      'postgresql://db/news',
    );
    expect(parseConfig({}, {}).store).toMatchObject({ path: 'data/tidings.db' });
    expect(parseConfig({}, {}).store.url).toBeUndefined();
    expect(() => parseConfig({ store: { url: 'postgres://db/news', path: 'other.db' } }, {})).toThrow(
      /store\.url: store\.url and store\.path name two different stores/,
    );
    expect(() => parseConfig({ store: { url: 'mysql://db/news' } }, {})).toThrow(
      /store\.url: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => parseConfig({ store: { url: '${DATABASE_URL}' } }, {})).toThrow(/DATABASE_URL is not set/);
  });
});

describe('PostgreSQL errors leave the store as STORE_FAILED, retryable when another attempt may succeed', () => {
  const tempDir = useTempDir('tidings-pg-config-');

  it('names the server without its password and marks an unreachable one retryable', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(config, 'store:\n  url: ${DATABASE_URL}\n');
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const run = await runCli(['-c', config, 'editor', 'list'], {
      DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/news',
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^error: \[STORE_FAILED\] postgres:\/\/app@127\.0\.0\.1:1\/news: cannot open the store: store error ECONNREFUSED/,
    );
    expect(run.err).not.toContain('hunter2');
  });

  describe.skipIf(!PG_TEST_URL)('with a real server', () => {
    let database: TestDatabase;
    let db: PgDatabase;
    beforeAll(async () => {
      database = await createTestDatabase('tidings_errors');
      db = new PgDatabase(database.url);
    });
    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    async function failure(sql: string): Promise<TidingsError> {
      try {
        await db.query(sql);
      } catch (error) {
        const wrapped = toStoreError(error, db.where);
        if (isTidingsError(wrapped)) return wrapped;
      }
      throw new Error(`no store error from ${sql}`);
    }
    const raise = (sqlState: string) => `DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${sqlState}'; END $$`;

    it('serialization failures, deadlocks, shutdowns and connection errors are retryable; constraint errors are not', async () => {
      for (const sqlState of ['40001', '40P01', '57P01', '08006']) {
        const error = await failure(raise(sqlState));
        expect([error.code, error.retryable, error.message]).toEqual([
          'STORE_FAILED',
          true,
          `${db.where}: store error SQLSTATE ${sqlState}: raised`,
        ]);
      }
      await db.query('CREATE TABLE u (id INTEGER PRIMARY KEY)');
      await db.query('INSERT INTO u VALUES (1)');
      const duplicate = await failure('INSERT INTO u VALUES (1)');
      expect(duplicate.retryable).toBe(false);
      expect(duplicate.message).toMatch(/store error SQLSTATE 23505: duplicate key value/);
      expect(duplicate.message).toContain(`${db.where}: `);
      expect(db.where).not.toContain(`:${new URL(database.url).password}@`);
    });
  });
});

describe.skipIf(!PG_TEST_URL)('the CLI on a PostgreSQL store (store.url: ${DATABASE_URL})', () => {
  const tempDir = useTempDir('tidings-pg-cli-');
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('tidings_cli');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('keeps the data folder of store.path: the outcome journal and the link secret live there, the store has no file', async () => {
    const dir = tempDir();
    const configFile = path.join(dir, 'tidings.config.yaml');
    writeFileSync(configFile, 'store:\n  url: ${DATABASE_URL}\n');
    const loaded = loadConfig(configFile, { DATABASE_URL: database.url });
    const wiring = {
      clock: createFixedClock('2026-11-28T06:00:00Z'),
      logger: createSilentLogger(),
      env: {},
      out: () => {},
      err: () => {},
      interactive: false,
      stdout: process.stdout,
      templatesDir: dir,
    };
    // Opening PostgreSQL is asynchronous: the caller opens it and hands it over.
    expect(() => createAppContext({ loaded, ...wiring })).toThrow(
      /store\.url names PostgreSQL: open it with openStore\(\)/,
    );
    const store = await openStore(loaded.config.store, (relative) => path.resolve(dir, relative));
    const ctx = createAppContext({ loaded, store, ...wiring });
    try {
      expect(ctx.store.file).toBeNull();
      expect(ctx.outcomeJournalFile).toBe(path.join(dir, 'data', 'postgres.outcomes.jsonl'));
      expect(ctx.config.web.secret).toMatch(/^[\w-]{40,}$/);
      expect(existsSync(path.join(dir, 'data', 'secret'))).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it('ingests, lists articles and manages editors in PostgreSQL; no SQLite file is created', async () => {
    const feed = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour News</title><link>https://example.org/</link>
      <item><title>Ferry timetable changes</title><link>https://example.org/ferry</link><category>Local</category>
        <description>The ferry leaves earlier from Monday. Commuters should check the new timetable.</description><pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate></item>
      <item><title>Harbour festival returns</title><link>https://example.org/festival</link><category>Local</category>
        <description>The festival returns in spring with boats and music. Tickets go on sale soon.</description><pubDate>Fri, 27 Nov 2026 09:00:00 GMT</pubDate></item>
    </channel></rss>`;
    const server = await startFixtureServer({
      '/feed.xml': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed),
    });
    try {
      const dir = tempDir();
      const config = path.join(dir, 'tidings.config.yaml');
      writeFileSync(
        config,
        `store:\n  url: \${DATABASE_URL}\ncategories:\n  local: { title: Local }\nsources:\n  - { name: harbour, type: feed, url: "${server.url('/feed.xml')}" }\n`,
      );
      const env = { DATABASE_URL: database.url };
      const ingest = await runCli(['-q', '-c', config, 'ingest'], env, '2026-11-28T06:00:00Z');
      expect(ingest.err).toBe('');
      expect(ingest.out).toMatch(/harbour\s+ok\s+new 2, updated 0, unchanged 0/);
      const again = await runCli(['-q', '-c', config, 'ingest'], env, '2026-11-28T07:00:00Z');
      expect(again.out).toMatch(/harbour\s+ok\s+(not modified|new 0, updated 0, unchanged 2)/);
      const articles = await runCli(['-q', '-c', config, 'articles'], env, '2026-11-28T07:00:00Z');
      expect(articles.out).toContain('Harbour festival returns');
      expect(articles.out).toContain('Ferry timetable changes');

      const add = await runCli(
        ['-q', '-c', config, 'editor', 'add', 'alice', 'alice@example.org', '--password-stdin'],
        env,
        '2026-11-28T07:00:00Z',
        'a long enough password\n',
      );
      expect(add.out).toContain('added editor alice <alice@example.org>');
      const list = await runCli(['-q', '-c', config, 'editor', 'list'], env, '2026-11-28T07:00:00Z');
      expect(list.out).toContain('alice');
      expect(existsSync(path.join(dir, 'data', 'tidings.db'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});
