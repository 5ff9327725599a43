import type { EditorStore } from '../app/desk/editor-store.ts';
import type { AuditLog } from '../editions/audit-log.ts';
import type { Ledger } from '../delivery/ledger.ts';
import type { EditionStore } from '../editions/edition-store.ts';
import type { SubscriberStore } from '../subscribers/subscriber-store.ts';
import type { ArticleStore } from './article-store.ts';

/**
 * The whole store, one interface per area. Each area's interface is owned by the
 * code that consumes it; SQLite implementations live in store/sqlite/.
 */
export interface Store {
  articles: ArticleStore;
  editions: EditionStore;
  subscribers: SubscriberStore;
  ledger: Ledger;
  audit: AuditLog;
  editors: EditorStore;
  close(): void;
}
