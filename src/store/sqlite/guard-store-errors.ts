import { TidingsError, isTidingsError } from '../../core/errors.ts';

/** SQLite result codes that a later attempt may not meet (another writer, a full disk freed). */
const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR']);

/**
 * Turns a driver error into the store's own error: code STORE_FAILED, one line naming the
 * store file and SQLite's code, the original as `cause` (shown with -v). Tidings errors
 * pass through unchanged.
 */
export function toStoreError(error: unknown, file: string): unknown {
  if (isTidingsError(error) || !(error instanceof Error)) return error;
  const code = (error as Error & { code?: unknown }).code;
  const sqliteCode = typeof code === 'string' ? code : null;
  const base = sqliteCode?.replace(/_[A-Z]+$/, '') ?? '';
  const retryable = sqliteCode !== null && (RETRYABLE.has(sqliteCode) || RETRYABLE.has(base));
  return new TidingsError('STORE_FAILED', `store error${sqliteCode ? ` ${sqliteCode}` : ''}: ${error.message}`, { where: file, retryable, cause: error });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Promise) && Symbol.asyncIterator in value;
}

function guardIterable<T>(iterable: AsyncIterable<T>, file: string): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      const wrap = <A extends unknown[]>(step: ((...args: A) => Promise<IteratorResult<T>>) | undefined) =>
        step &&
        (async (...args: A) => {
          try {
            return await step.apply(iterator, args);
          } catch (error) {
            throw toStoreError(error, file);
          }
        });
      return { next: wrap(iterator.next)!, return: wrap(iterator.return), throw: wrap(iterator.throw) } as AsyncIterator<T>;
    },
  };
}

/**
 * Wraps every method of a store object so that what it throws or rejects with is a
 * STORE_FAILED TidingsError; objects returned by the methods named in `deep` (a sync
 * session) are wrapped too, and async iterables (streams of recipients) as well.
 */
export function guardStoreErrors<T extends object>(target: T, file: string, deep: ReadonlySet<string> = new Set()): T {
  return new Proxy(target, {
    get(object, key) {
      // The target as receiver: getters and methods use private (#) fields of the real object.
      const value = Reflect.get(object, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(object, args);
        } catch (error) {
          throw toStoreError(error, file);
        }
        if (result instanceof Promise) {
          return result.then(
            (resolved: unknown) =>
              deep.has(String(key)) && typeof resolved === 'object' && resolved !== null ? guardStoreErrors(resolved, file) : resolved,
            (error: unknown) => {
              throw toStoreError(error, file);
            },
          );
        }
        return isAsyncIterable(result) ? guardIterable(result, file) : result;
      };
    },
  });
}
