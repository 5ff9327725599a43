import path from 'node:path';
import { openStore } from '../store/open-store.ts';
import { createAppContext, type AppContext, type ContextOptions } from './context.ts';

/**
 * The context of a command or server process, its store opened first: PostgreSQL
 * (store.url) connects and migrates asynchronously, SQLite opens inside createAppContext.
 * A store opened here is closed again when the context cannot be built.
 */
export async function openAppContext(options: Omit<ContextOptions, 'store'>): Promise<AppContext> {
  const { loaded } = options;
  const store = loaded.config.store.url
    ? await openStore(loaded.config.store, (relative) => path.resolve(loaded.baseDir, relative))
    : undefined;
  try {
    return createAppContext({ ...options, store });
  } catch (error) {
    await store?.close();
    throw error;
  }
}
