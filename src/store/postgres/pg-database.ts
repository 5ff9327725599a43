import pg from 'pg';
import { redactUrl } from './redact-url.ts';

export { redactUrl };

/** A query runner: the pool itself, or one client inside a transaction. */
export interface PgQueryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A connection of its own (see PgDatabase.reserve); `release(true)` discards it instead of pooling it. */
export interface PgReservedConnection extends PgQueryable {
  release(broken?: boolean): void;
}

export interface PgDatabaseOptions {
  /** Connections in the pool (one process). */
  maxConnections?: number;
  /** A query that has not answered in this long is cancelled by the server (statement_timeout). */
  statementTimeoutMs?: number;
  /** Waiting for a connection (server down, pool exhausted) fails after this long. */
  connectTimeoutMs?: number;
}

/**
 * The PostgreSQL side of the store: a connection pool, and transactions that either
 * commit whole or roll back. Ports receive a PgDatabase and never see a pg type beyond
 * PgQueryable, so the rest of the code stays driver-free.
 */
export class PgDatabase implements PgQueryable {
  readonly #pool: pg.Pool;
  /** Where the store lives, with any password removed: for error messages and logs. */
  readonly where: string;

  constructor(url: string, options: PgDatabaseOptions = {}) {
    this.where = redactUrl(url);
    this.#pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      statement_timeout: options.statementTimeoutMs ?? 60_000,
      // Idle connections are dropped by proxies and servers; a broken idle client must not crash the process.
      idleTimeoutMillis: 30_000,
    });
    this.#pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on the next checkout.
    });
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.#pool.query<R>(sql, params as unknown[]);
  }

  /** A statement run for every message: parsed and planned once per connection (a named prepared statement), not at each call. */
  queryPrepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
    name: string,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.#pool.query<R>({ name, text: sql, values: params as unknown[] });
  }

  /** Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
  async transaction<T>(
    work: (tx: PgQueryable) => Promise<T>,
    isolation: 'read committed' | 'serializable' = 'read committed',
  ): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is gone: do not hand it back to the pool
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * One connection kept out of the pool until `release`: for work that spans several
   * transactions on the same session (TEMP staging tables of a subscriber sync).
   */
  async reserve(): Promise<PgReservedConnection> {
    const client = await this.#pool.connect();
    let released = false;
    return {
      query: (sql, params = []) => client.query(sql, params as unknown[]),
      release: (broken = false) => {
        if (released) return;
        released = true;
        client.release(broken);
      },
    };
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}
