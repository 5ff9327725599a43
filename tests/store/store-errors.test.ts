import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isTidingsError, type TidingsError } from '../../src/core/errors.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

async function thrownBy(work: () => Promise<unknown>): Promise<TidingsError> {
  try {
    await work();
  } catch (error) {
    if (isTidingsError(error)) return error;
    throw new Error(`not a TidingsError: ${String(error)}`);
  }
  throw new Error('nothing was thrown');
}

describe('store errors leave the store as STORE_FAILED with the cause', () => {
  const tempDir = useTempDir('tidings-store-errors-');

  it('wraps a failing query, a failing stream and a failing sync session; the SQLite error stays as the cause', async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const store = openSqliteStore(file);
    // Another connection breaks the schema under the store's feet.
    const other = new Database(file);
    other.exec('DROP TABLE deliveries; DROP TABLE subscriptions; DROP TABLE subscribers;');
    other.close();

    const counts = await thrownBy(() => store.ledger.counts('daily/2026-03-02T07:00'));
    expect(counts.code).toBe('STORE_FAILED');
    expect(counts.message).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: store error SQLITE_ERROR: no such table: deliveries`,
      ),
    );
    expect(counts.retryable).toBe(false);
    expect((counts.cause as { code?: string }).code).toBe('SQLITE_ERROR');

    const stream = await thrownBy(async () => {
      for await (const recipient of store.subscribers.streamRecipients('daily')) void recipient;
    });
    expect(stream.code).toBe('STORE_FAILED');

    const session = await store.subscribers.beginSync();
    const apply = await thrownBy(() => session.apply(new Date('2026-03-02T07:00:00Z'), { removeMissing: false }));
    expect(apply.code).toBe('STORE_FAILED');
    store.close();
  });

  it('marks a locked store as retryable', async () => {
    const file = path.join(tempDir(), 'tidings.db');
    const store = openSqliteStore(file, { busyTimeoutMs: 50 });
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    const busy = await thrownBy(() => store.articles.putCachedSummary('hash', 'v1', 'text'));
    holder.exec('ROLLBACK');
    holder.close();
    expect(busy.code).toBe('STORE_FAILED');
    expect(busy.message).toContain('SQLITE_BUSY');
    expect(busy.retryable).toBe(true);
    // Once the lock is gone the same call succeeds.
    await store.articles.putCachedSummary('hash', 'v1', 'text');
    expect(await store.articles.getCachedSummary('hash', 'v1')).toBe('text');
    store.close();
  });
});
