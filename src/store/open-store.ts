import path from 'node:path';
import type { TidingsConfig } from '../config/schema.ts';
import { redactUrl } from './postgres/redact-url.ts';
import type { Store } from './store.ts';

/** Which store a configuration names: a SQLite file, or a PostgreSQL database. */
export type StoreLocation =
  | { kind: 'sqlite'; file: string; dataDir: string | null }
  | { kind: 'postgres'; url: string; where: string; dataDir: string };

/**
 * `store.url` selects PostgreSQL; otherwise `store.path` is the SQLite file. The data folder
 * (link secret, outcome journal) is the folder of `store.path` either way, so switching a
 * configuration to PostgreSQL keeps the secret that signed the links already sent.
 */
export function storeLocation(store: TidingsConfig['store'], resolvePath: (relative: string) => string): StoreLocation {
  const memory = store.path === ':memory:';
  const file = memory ? ':memory:' : resolvePath(store.path);
  if (store.url)
    return {
      kind: 'postgres',
      url: store.url,
      where: redactUrl(store.url),
      dataDir: memory ? resolvePath('data') : path.dirname(file),
    };
  return { kind: 'sqlite', file, dataDir: memory ? null : path.dirname(file) };
}

/** Opens the configured store; PostgreSQL's driver is only loaded when it is used. */
export async function openStore(
  store: TidingsConfig['store'],
  resolvePath: (relative: string) => string,
): Promise<Store> {
  const location = storeLocation(store, resolvePath);
  if (location.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres/open-postgres-store.ts');
    return openPostgresStore(location.url, { maxConnections: store.poolSize });
  }
  const { openSqliteStore } = await import('./sqlite/open-sqlite-store.ts');
  return openSqliteStore(location.file, { busyTimeoutMs: store.busyTimeout });
}
