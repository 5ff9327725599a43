import type { Store } from '../store.ts';
import { openDatabase } from './open-database.ts';
import { SqliteAuditLog } from './sqlite-audit-log.ts';
import { SqliteEditorStore } from './sqlite-editor-store.ts';
import { SqliteArticleStore } from './sqlite-article-store.ts';
import { SqliteEditionStore } from './sqlite-edition-store.ts';
import { SqliteLedger } from './sqlite-ledger.ts';
import { SqliteSubscriberStore } from './sqlite-subscriber-store.ts';

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStore(file: string): Store {
  const db = openDatabase(file);
  return {
    articles: new SqliteArticleStore(db),
    editions: new SqliteEditionStore(db),
    subscribers: new SqliteSubscriberStore(db),
    ledger: new SqliteLedger(db),
    audit: new SqliteAuditLog(db),
    editors: new SqliteEditorStore(db),
    close: () => db.close(),
  };
}
