import type { Store } from '../store.ts';
import { openDatabase } from './open-database.ts';
import { SqliteArticleStore } from './sqlite-article-store.ts';
import { SqliteEditionStore } from './sqlite-edition-store.ts';
import { SqliteLedger } from './sqlite-ledger.ts';
import { SqliteSchedulerStore } from './sqlite-scheduler-store.ts';
import { SqliteSourceStateStore } from './sqlite-source-state-store.ts';
import { SqliteStoreStats } from './sqlite-store-stats.ts';
import { SqliteSubscriberStore } from './sqlite-subscriber-store.ts';

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStore(file: string): Store {
  const db = openDatabase(file);
  return {
    articles: new SqliteArticleStore(db),
    editions: new SqliteEditionStore(db),
    subscribers: new SqliteSubscriberStore(db),
    ledger: new SqliteLedger(db),
    scheduler: new SqliteSchedulerStore(db),
    sources: new SqliteSourceStateStore(db),
    stats: new SqliteStoreStats(db),
    close: () => db.close(),
  };
}
