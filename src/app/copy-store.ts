import { copySqliteToPostgres, type TableCopy } from '../store/copy/copy-sqlite-to-postgres.ts';
import { openPostgresStore } from '../store/postgres/open-postgres-store.ts';
import { redactUrl } from '../store/postgres/redact-url.ts';
import { openDatabase } from '../store/sqlite/open-database.ts';

export type { TableCopy };

/** A PostgreSQL URL with its password replaced, for output and logs. */
export const redactStoreUrl = redactUrl;

/**
 * `tidings store copy`: the SQLite file into an empty PostgreSQL database, both brought to
 * the latest schema first so the tables and columns match; `onTable` sees each table as it
 * is copied. Returns every table's copy (row counts checked on the target).
 */
export async function copyStore(options: {
  file: string;
  to: string;
  force?: boolean;
  onStart?: () => void;
  onTable: (copy: TableCopy) => void;
}): Promise<TableCopy[]> {
  const source = openDatabase(options.file);
  try {
    const target = await openPostgresStore(options.to, { maxConnections: 2 });
    try {
      options.onStart?.();
      return await copySqliteToPostgres(source, target.db, { force: options.force, onTable: options.onTable });
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
