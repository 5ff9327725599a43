import type { Store } from '../store.ts';
import { openDatabase } from './open-database.ts';
import { SqliteArticleStore } from './sqlite-article-store.ts';

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStore(file: string): Store {
  const db = openDatabase(file);
  return {
    articles: new SqliteArticleStore(db),
    close: () => db.close(),
  };
}
