import { TidingsError, isTidingsError } from '../../core/errors.ts';

/** SQLite result codes that a later attempt may not meet (another writer, a full disk freed). */
const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR']);

/**
 * PostgreSQL SQLSTATEs worth another attempt: a serialization failure or deadlock (the
 * transaction lost a race), the server shutting down, and the whole connection class 08.
 */
const PG_RETRYABLE = new Set(['40001', '40P01', '57P01', '57P02', '57P03']);

/** Socket errors of the pg driver (server down, restarted, unreachable): retryable too. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/** A five-character SQLSTATE from the pg driver (`23505`, `40P01`), or null. */
function sqlStateOf(error: Error): string | null {
  const code = (error as Error & { code?: unknown }).code;
  const severity = (error as Error & { severity?: unknown }).severity;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && (typeof severity === 'string' || /^\d/.test(code))
    ? code
    : null;
}

function isRetryable(code: string | null, sqlState: string | null, error: Error): boolean {
  if (sqlState) return PG_RETRYABLE.has(sqlState) || sqlState.startsWith('08');
  if (code && NETWORK_CODES.has(code)) return true;
  // The pg pool's own messages when the server vanishes mid-query or no connection came in time.
  if (/Connection terminated|timeout exceeded when trying to connect/i.test(error.message)) return true;
  if (code === null) return false;
  const base = code.replace(/_[A-Z]+$/, '');
  return RETRYABLE.has(code) || RETRYABLE.has(base);
}

/**
 * Turns a driver error (better-sqlite3 or pg) into the store's own error: code
 * STORE_FAILED, one line naming where the store is (the file, or the PostgreSQL URL
 * without its password) and the driver's code (SQLITE_BUSY, SQLSTATE 40001), the original
 * as `cause` (shown with -v). Tidings errors pass through unchanged.
 */
export function toStoreError(error: unknown, where: string): unknown {
  if (isTidingsError(error) || !(error instanceof Error)) return error;
  const raw = (error as Error & { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : null;
  const sqlState = sqlStateOf(error);
  const label = sqlState ? ` SQLSTATE ${sqlState}` : code ? ` ${code}` : '';
  // AggregateError (every address of a host refused) has an empty message of its own.
  const message =
    error.message ||
    (error instanceof AggregateError ? String(error.errors[0]?.message ?? 'connection failed') : 'failed');
  return new TidingsError('STORE_FAILED', `store error${label}: ${message}`, {
    where,
    retryable: isRetryable(code, sqlState, error),
    cause: error,
  });
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
      return {
        next: wrap(iterator.next)!,
        return: wrap(iterator.return),
        throw: wrap(iterator.throw),
      } as AsyncIterator<T>;
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
              deep.has(String(key)) && typeof resolved === 'object' && resolved !== null
                ? guardStoreErrors(resolved, file)
                : resolved,
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
