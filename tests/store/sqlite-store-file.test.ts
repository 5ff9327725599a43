import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

describe('SQLite store file (real file)', () => {
  const tempDir = useTempDir();

  it('creates the file in WAL mode with every migration applied', () => {
    const file = path.join(tempDir(), 'a.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // The highest migration, whatever order the areas' migrations are listed in.
    expect(db.pragma('user_version', { simple: true })).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'source_fetch_state'").get()).toBeTruthy();
    db.close();
    // Reopening applies nothing twice.
    openDatabase(file).close();
  });
  // What the articles port does, on SQLite and PostgreSQL alike: tests/store/contract/articles.contract.ts.
});
