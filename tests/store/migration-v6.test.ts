import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tempDir = useTempDir('tidings-migrate-');

describe('migration 6 (subscriber lifecycle)', () => {
  it('upgrades a store written before it: subscribers keep their data, file origin, no pause, no suppressions', async () => {
    const file = path.join(tempDir(), 'old.db');
    const old = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    old
      .prepare(
        `INSERT INTO subscribers (email, name, locale, created_at, updated_at) VALUES ('ann@example.org', 'Ann', 'de', 't', 't')`,
      )
      .run();
    old.prepare(`INSERT INTO subscriptions (subscriber_id, newsletter_id, updated_at) VALUES (1, 'daily', 't')`).run();
    old.close();

    const store = openSqliteStore(file);
    try {
      expect(await store.subscribers.findByEmail('ann@example.org')).toMatchObject({
        name: 'Ann',
        locale: 'de',
        status: 'active',
        profileOrigin: 'file',
        pausedUntil: null,
        erasedAt: null,
        subscriptions: [{ newsletterId: 'daily', status: 'active' }],
      });
      expect(await store.subscribers.listSuppressions()).toEqual([]);
      expect(await store.subscribers.count('daily', new Date('2026-03-02T07:00:00Z'))).toBe(1);
      await store.subscribers.setProfile(
        1,
        { locale: 'ru', timezone: 'Europe/Moscow', pausedUntil: '2026-03-05' },
        new Date('2026-03-02T07:00:00Z'),
      );
      expect(await store.subscribers.count('daily', new Date('2026-03-04T07:00:00Z'))).toBe(0);
      expect(await store.subscribers.count('daily', new Date('2026-03-05T00:00:00Z'))).toBe(1);
      expect(await store.subscribers.count('daily')).toBe(1);
    } finally {
      store.close();
    }
  });
});
