/**
 * `tidings store copy` throughput: fills a SQLite store with N articles (with their
 * category rows) and an audit row each, copies it into a fresh PostgreSQL database and
 * reports rows/second. Needs a PostgreSQL superuser URL in TIDINGS_TEST_PG_URL (the one CI
 * uses for the tests); prints "skipped" without it.
 *
 *   npx tsx bench/store-copy.ts [ARTICLES]      (default 20000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { copySqliteToPostgres } from '../src/store/copy/copy-sqlite-to-postgres.ts';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.ts';
import { openDatabase } from '../src/store/sqlite/open-database.ts';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.ts';

const adminUrl = process.env.TIDINGS_TEST_PG_URL;
if (!adminUrl) {
  console.log('store-copy: skipped (set TIDINGS_TEST_PG_URL to a PostgreSQL superuser URL)');
  process.exit(0);
}
const articles = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tidings-bench-copy-'));
const file = path.join(dir, 'tidings.db');
const name = `tidings_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
try {
  const sqlite = openSqliteStore(file);
  const at = new Date('2026-11-28T06:00:00Z');
  const body = 'The council approved the new harbour plan after a long debate. '.repeat(30);
  for (let start = 0; start < articles; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, articles - start) }, (_, k) => {
      const i = start + k;
      return {
        id: `article-${i}`,
        url: `https://news.example.org/${i}`,
        title: `Story ${i} about the harbour`,
        text: `${body} (${i})`,
        description: null,
        summary: `Summary ${i}.`,
        publishedAt: at.toISOString(),
        categories: ['world', 'business'],
        source: 'wire',
        sourceTitle: 'Wire',
        author: null,
        imageUrl: null,
        language: 'en',
        contentHash: `hash-${i}`,
        categoryOrigin: 'source' as const,
      };
    });
    await sqlite.articles.saveArticles(batch, at);
  }
  for (let i = 0; i < articles; i++)
    await sqlite.audit.record({
      at: at.toISOString(),
      actor: 'bench',
      action: 'pin',
      newsletterId: 'daily',
      editionId: null,
      details: { i },
    });
  sqlite.close();

  const source = openDatabase(file);
  const target = await openPostgresStore(url.toString(), { maxConnections: 2 });
  const started = performance.now();
  const report = await copySqliteToPostgres(source, target.db);
  const seconds = (performance.now() - started) / 1000;
  await target.close();
  source.close();
  const rows = report.reduce((sum, table) => sum + table.rows, 0);
  console.log(
    `store-copy: ${rows} rows (${articles} articles, ~${body.length} characters of text each) in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds)} rows/s`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
