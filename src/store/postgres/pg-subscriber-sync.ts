import {
  APPLY_FILE_CADENCES,
  CADENCE_STAGING,
  DROP_CADENCE_STAGING,
  MARK_CHANGED_CADENCES,
  STAGE_CADENCES,
  cadenceRows,
} from './pg-cadence.ts';
import { TidingsError } from '../../core/errors.ts';
import type { StagedSubscriber, SubscriberSyncSession, SyncCounts } from '../../subscribers/subscriber-store.ts';
import type { PgDatabase, PgReservedConnection } from './pg-database.ts';

/**
 * Sync through staging tables, as in sqlite-subscriber-sync.ts: rows go into TEMP tables
 * of one reserved connection in small statements (bounded memory for any list size), then
 * one transaction merges them with set-based SQL. Nothing is visible before `apply` commits.
 * JSON stays text (`json`, not `jsonb`) so stored categories are the exact text JSON.stringify wrote.
 */
const CREATE_STAGING = `
  DROP TABLE IF EXISTS pg_temp.sync_subscribers, pg_temp.sync_subscriptions, pg_temp.sync_kept;
  CREATE TEMP TABLE sync_subscribers (
    email TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT, first_name TEXT, languages TEXT, locale TEXT, timezone TEXT, status TEXT NOT NULL,
    subs TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL,
    prev_file TEXT, prev_line INTEGER, prev_subs TEXT,
    subscriber_id INTEGER, is_new INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0
  );
  CREATE TEMP TABLE sync_kept (email TEXT PRIMARY KEY);
`;

const DROP_STAGING = 'DROP TABLE IF EXISTS pg_temp.sync_subscribers, pg_temp.sync_subscriptions, pg_temp.sync_kept';

/** One sync at a time per store: two merges inserting the same new address would collide. */
const SYNC_LOCK_KEY = 7_142_062;

const PREPARE_MERGE = `
  UPDATE pg_temp.sync_subscribers t SET subscriber_id = s.id FROM subscribers s WHERE s.email = t.email;
  UPDATE pg_temp.sync_subscribers SET is_new = 1 WHERE subscriber_id IS NULL;
  UPDATE pg_temp.sync_subscribers AS t SET changed = 1 FROM subscribers AS s
    WHERE s.id = t.subscriber_id AND (s.name IS DISTINCT FROM t.name
      OR s.first_name IS DISTINCT FROM t.first_name OR s.languages IS DISTINCT FROM t.languages
      OR (s.profile_origin = 'file' AND (s.locale IS DISTINCT FROM t.locale OR s.timezone IS DISTINCT FROM t.timezone))
      OR (s.status_origin = 'file' AND s.status IS DISTINCT FROM t.status));
`;

const DROP_SUPPRESSED = `
  INSERT INTO pg_temp.sync_kept (email)
    SELECT email FROM pg_temp.sync_subscribers WHERE tidings_address_hash(email) IN (SELECT address_hash FROM suppressions)
    ON CONFLICT DO NOTHING;
  DELETE FROM pg_temp.sync_subscribers WHERE email IN (SELECT email FROM pg_temp.sync_kept)
    AND tidings_address_hash(email) IN (SELECT address_hash FROM suppressions);
`;

const INSERT_NEW = `
  INSERT INTO subscribers (email, name, first_name, languages, locale, timezone, status, status_origin, hard_bounces, created_at, updated_at)
    SELECT email, name, first_name, languages, locale, timezone, status, 'file', 0, $1, $1 FROM pg_temp.sync_subscribers WHERE is_new = 1 ORDER BY seq
`;

const LINK_NEW = `
  UPDATE pg_temp.sync_subscribers t SET subscriber_id = s.id FROM subscribers s WHERE s.email = t.email AND t.is_new = 1;
  CREATE INDEX ON pg_temp.sync_subscribers (subscriber_id);
  CREATE TEMP TABLE sync_subscriptions (
    subscriber_id INTEGER NOT NULL, newsletter_id TEXT NOT NULL, categories TEXT,
    PRIMARY KEY (subscriber_id, newsletter_id)
  );
  INSERT INTO pg_temp.sync_subscriptions (subscriber_id, newsletter_id, categories)
    SELECT t.subscriber_id, j.key, CASE WHEN json_typeof(j.value) = 'null' THEN NULL ELSE j.value::text END
      FROM pg_temp.sync_subscribers t, json_each(t.subs::json) j;
  ANALYZE pg_temp.sync_subscribers;
  ANALYZE pg_temp.sync_subscriptions;
`;

const MISSING = `
  m.origin = 'file' AND m.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_subscriptions x WHERE x.subscriber_id = m.subscriber_id AND x.newsletter_id = m.newsletter_id)
  AND NOT EXISTS (SELECT 1 FROM subscribers s JOIN pg_temp.sync_kept k ON k.email = s.email WHERE s.id = m.subscriber_id)
`;

const MARK_CHANGED_SUBSCRIPTIONS = `
  UPDATE pg_temp.sync_subscribers SET changed = 1 WHERE is_new = 0 AND changed = 0 AND subscriber_id IN (
    SELECT x.subscriber_id FROM pg_temp.sync_subscriptions x
      LEFT JOIN subscriptions m ON m.newsletter_id = x.newsletter_id AND m.subscriber_id = x.subscriber_id
      WHERE m.subscriber_id IS NULL
        OR (m.origin = 'file' AND m.status <> 'active')
        OR (m.categories_origin = 'file' AND m.categories IS DISTINCT FROM x.categories))
`;

const MARK_DROPPED_SUBSCRIPTIONS = `
  UPDATE pg_temp.sync_subscribers SET changed = 1 WHERE is_new = 0 AND changed = 0 AND subscriber_id IN (
    SELECT m.subscriber_id FROM subscriptions m JOIN pg_temp.sync_subscribers t ON t.subscriber_id = m.subscriber_id WHERE ${MISSING})
`;

const UPDATE_CHANGED = `
  UPDATE subscribers AS s SET name = t.name, first_name = t.first_name, languages = t.languages,
    locale = CASE WHEN s.profile_origin = 'file' THEN t.locale ELSE s.locale END,
    timezone = CASE WHEN s.profile_origin = 'file' THEN t.timezone ELSE s.timezone END,
    status = CASE WHEN s.status_origin = 'file' THEN t.status ELSE s.status END, updated_at = $1
  FROM pg_temp.sync_subscribers AS t WHERE t.subscriber_id = s.id AND t.is_new = 0 AND t.changed = 1
`;

const UPSERT_SUBSCRIPTIONS = `
  INSERT INTO subscriptions (subscriber_id, newsletter_id, categories, status, origin, categories_origin, updated_at)
    SELECT subscriber_id, newsletter_id, categories, 'active', 'file', 'file', $1 FROM pg_temp.sync_subscriptions
  ON CONFLICT (newsletter_id, subscriber_id) DO UPDATE SET
    status = CASE WHEN subscriptions.origin = 'subscriber' THEN subscriptions.status ELSE 'active' END,
    categories = CASE WHEN subscriptions.categories_origin = 'subscriber' THEN subscriptions.categories ELSE excluded.categories END,
    updated_at = excluded.updated_at
  WHERE (subscriptions.origin = 'file' AND subscriptions.status <> 'active')
     OR (subscriptions.categories_origin = 'file' AND subscriptions.categories IS DISTINCT FROM excluded.categories)
`;

type Subs = Record<string, string[] | null>;

interface StagedEntry {
  email: string;
  seq: number;
  name: string | null;
  first_name: string | null;
  languages: string | null;
  locale: string | null;
  timezone: string | null;
  status: string;
  subs: Subs;
  file: string;
  line: number;
  /** Where this address first appeared in the batch (its answer comes from the staged table). */
  firstIndex: number;
}

export class PgSubscriberSync implements SubscriberSyncSession {
  private finished = false;
  private seq = 0;

  private constructor(private readonly conn: PgReservedConnection) {}

  static async begin(db: PgDatabase): Promise<PgSubscriberSync> {
    const conn = await db.reserve();
    try {
      await conn.query(CREATE_STAGING);
      await conn.query(CADENCE_STAGING);
    } catch (error) {
      conn.release(true);
      throw error;
    }
    return new PgSubscriberSync(conn);
  }

  async stage(rows: readonly StagedSubscriber[]): Promise<({ file: string; line: number } | null)[]> {
    this.assertOpen();
    const answers: ({ file: string; line: number } | null)[] = rows.map(() => null);
    // An address repeated inside the batch is merged here (one upsert per address and statement).
    const byEmail = new Map<string, StagedEntry>();
    rows.forEach((row, index) => {
      const subs: Subs = {};
      for (const sub of row.subscriptions) subs[sub.newsletterId] = sub.categories;
      const earlier = byEmail.get(row.email);
      if (earlier) answers[index] = { file: earlier.file, line: earlier.line };
      byEmail.set(row.email, {
        email: row.email,
        seq: earlier?.seq ?? ++this.seq,
        name: row.name,
        first_name: row.firstName,
        languages: row.languages ? JSON.stringify(row.languages) : null,
        locale: row.locale,
        timezone: row.timezone,
        status: row.status,
        subs: earlier ? { ...earlier.subs, ...subs } : subs,
        file: row.file,
        line: row.line,
        firstIndex: earlier?.firstIndex ?? index,
      });
    });
    if (byEmail.size === 0) return answers;
    const cadences = cadenceRows(rows);
    if (cadences) await this.conn.query(STAGE_CADENCES, [cadences]);
    const entries = [...byEmail.values()];
    const { rows: staged } = await this.conn.query<{
      email: string;
      prev_file: string | null;
      prev_line: number | null;
      prev_subs: string | null;
    }>(
      `INSERT INTO pg_temp.sync_subscribers (email, seq, name, first_name, languages, locale, timezone, status, subs, file, line)
         SELECT email, seq, name, first_name, languages, locale, timezone, status, subs, file, line
           FROM json_to_recordset($1::json) AS r(email text, seq int, name text, first_name text, languages text, locale text,
             timezone text, status text, subs text, file text, line int)
       ON CONFLICT (email) DO UPDATE SET name = excluded.name, first_name = excluded.first_name, languages = excluded.languages,
         locale = excluded.locale, timezone = excluded.timezone, status = excluded.status, subs = excluded.subs,
         file = excluded.file, line = excluded.line,
         prev_file = sync_subscribers.file, prev_line = sync_subscribers.line, prev_subs = sync_subscribers.subs
       RETURNING email, prev_file, prev_line, prev_subs`,
      [JSON.stringify(entries.map((entry) => ({ ...entry, subs: JSON.stringify(entry.subs) })))],
    );
    // Listed in an earlier batch: newsletters joined; for a newsletter in both, the later row wins.
    const merges: { email: string; subs: string }[] = [];
    for (const row of staged) {
      if (row.prev_file === null) continue;
      const entry = byEmail.get(row.email)!;
      answers[entry.firstIndex] = { file: row.prev_file, line: row.prev_line! };
      merges.push({
        email: row.email,
        subs: JSON.stringify({ ...(JSON.parse(row.prev_subs!) as Subs), ...entry.subs }),
      });
    }
    if (merges.length) {
      await this.conn.query(
        `UPDATE pg_temp.sync_subscribers t SET subs = r.subs FROM json_to_recordset($1::json) AS r(email text, subs text) WHERE t.email = r.email`,
        [JSON.stringify(merges)],
      );
    }
    return answers;
  }

  async keep(emails: readonly string[]): Promise<void> {
    this.assertOpen();
    if (emails.length === 0) return;
    await this.conn.query('INSERT INTO pg_temp.sync_kept (email) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [
      emails,
    ]);
  }

  async apply(at: Date, options: { removeMissing: boolean }): Promise<SyncCounts> {
    this.assertOpen();
    const now = at.toISOString();
    const conn = this.conn;
    const scalar = async (sql: string, params: unknown[] = []) =>
      Number((await conn.query<{ n: number }>(sql, params)).rows[0]!.n);
    let broken = false;
    try {
      await conn.query('BEGIN');
      try {
        await conn.query('SELECT pg_advisory_xact_lock($1)', [SYNC_LOCK_KEY]);
        const staged = await scalar('SELECT COUNT(*)::int AS n FROM pg_temp.sync_subscribers');
        if (await scalar('SELECT COUNT(*)::int AS n FROM (SELECT 1 FROM suppressions LIMIT 1) x'))
          await conn.query(DROP_SUPPRESSED);
        await conn.query(PREPARE_MERGE);
        const total = await scalar('SELECT COUNT(*)::int AS n FROM pg_temp.sync_subscribers');
        const added = await scalar('SELECT COUNT(*)::int AS n FROM pg_temp.sync_subscribers WHERE is_new = 1');
        await conn.query(INSERT_NEW, [now]);
        await conn.query(LINK_NEW);
        await conn.query(MARK_CHANGED_SUBSCRIPTIONS);
        await conn.query(MARK_CHANGED_CADENCES);
        if (options.removeMissing) await conn.query(MARK_DROPPED_SUBSCRIPTIONS);
        const updated = await scalar(
          'SELECT COUNT(*)::int AS n FROM pg_temp.sync_subscribers WHERE is_new = 0 AND changed = 1',
        );
        await conn.query(UPDATE_CHANGED, [now]);
        await conn.query(UPSERT_SUBSCRIPTIONS, [now]);
        await conn.query(APPLY_FILE_CADENCES, [now]);
        let removed = 0;
        if (options.removeMissing) {
          removed = await scalar(
            `SELECT COUNT(DISTINCT m.subscriber_id)::int AS n FROM subscriptions m WHERE ${MISSING}
               AND NOT EXISTS (SELECT 1 FROM pg_temp.sync_subscribers t WHERE t.subscriber_id = m.subscriber_id)`,
          );
          await conn.query(`UPDATE subscriptions AS m SET status = 'removed', updated_at = $1 WHERE ${MISSING}`, [now]);
        }
        await conn.query('COMMIT');
        return { added, updated, unchanged: total - added - updated, removed, suppressed: staged - total };
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    } finally {
      await this.finish(broken);
    }
  }

  async discard(): Promise<void> {
    if (!this.finished) await this.finish(false);
  }

  private async finish(broken: boolean): Promise<void> {
    this.finished = true;
    try {
      if (!broken) {
        await this.conn.query(DROP_STAGING);
        await this.conn.query(DROP_CADENCE_STAGING);
      }
    } catch {
      broken = true;
    } finally {
      this.conn.release(broken);
    }
  }

  private assertOpen(): void {
    if (this.finished) throw new TidingsError('STORE_FAILED', 'this subscriber sync was already applied or discarded');
  }
}
