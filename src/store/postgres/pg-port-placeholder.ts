import { TidingsError } from '../../core/errors.ts';

/**
 * A port whose PostgreSQL implementation is not in this build yet (branch pgdelivery):
 * every call fails with STORE_FAILED saying which port, instead of a TypeError deep in
 * a command. Delete this file once the five delivery ports are real.
 */
export function placeholderPort<T extends object>(port: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      if (typeof key === 'symbol' || key === 'then') return undefined;
      return () => {
        throw new TidingsError('STORE_FAILED', `the PostgreSQL store has no ${port}.${key} yet (pgdelivery)`);
      };
    },
  });
}
