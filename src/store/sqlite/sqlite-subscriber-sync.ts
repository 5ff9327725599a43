import { TidingsError } from '../../core/errors.ts';
import type { StagedSubscriber, SubscriberSyncSession, SyncCounts } from '../../subscribers/subscriber-store.ts';
import type { SqliteDatabase } from './open-database.ts';
import {
  APPLY_FILE_CADENCES,
  CADENCE_STAGING,
  DROP_CADENCE_STAGING,
  MARK_CHANGED_CADENCES,
  STAGE_CADENCE,
} from './sqlite-cadence.ts';

/**
 * Sync through staging tables: rows go into connection-private TEMP tables in small
 * transactions (they spill to a temp file, so memory stays bounded for any list size),
 * then one transaction merges them into `subscribers` and `subscriptions` with set-based
 * SQL. Until `apply` commits, readers of the main tables see nothing of the sync.
 */
const CREATE_STAGING = `
  DROP TABLE IF EXISTS temp.sync_subscribers;
  DROP TABLE IF EXISTS temp.sync_subscriptions;
  DROP TABLE IF EXISTS temp.sync_kept;
  CREATE TEMP TABLE sync_subscribers (
    email TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT, first_name TEXT, languages TEXT, locale TEXT, timezone TEXT, status TEXT NOT NULL,
    subs TEXT NOT NULL,                  -- JSON object: newsletter id -> categories (null = all)
    file TEXT NOT NULL, line INTEGER NOT NULL,
    prev_file TEXT, prev_line INTEGER, prev_subs TEXT,  -- the earlier row when the address repeats
    subscriber_id INTEGER, is_new INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TEMP TABLE sync_kept (email TEXT PRIMARY KEY) WITHOUT ROWID;
`;

const DROP_STAGING = `
  DROP TABLE IF EXISTS temp.sync_subscribers;
  DROP TABLE IF EXISTS temp.sync_subscriptions;
  DROP TABLE IF EXISTS temp.sync_kept;
`;

/** Linking staged rows to stored ones, then finding what changes, before anything is written. */
const PREPARE_MERGE = `
  UPDATE temp.sync_subscribers SET subscriber_id = (SELECT s.id FROM main.subscribers s WHERE s.email = sync_subscribers.email);
  UPDATE temp.sync_subscribers SET is_new = 1 WHERE subscriber_id IS NULL;
  UPDATE temp.sync_subscribers AS t SET changed = 1 FROM main.subscribers AS s
    WHERE s.id = t.subscriber_id AND (s.name IS NOT t.name
      OR s.first_name IS NOT t.first_name OR s.languages IS NOT t.languages
      OR (s.profile_origin = 'file' AND (s.locale IS NOT t.locale OR s.timezone IS NOT t.timezone))
      OR (s.status_origin = 'file' AND s.status IS NOT t.status));
`;

/**
 * A suppressed address (erased, or suppressed by an operator) is not added or changed;
 * it counts as kept, so its stored subscriptions are not marked removed either.
 */
const DROP_SUPPRESSED = `
  INSERT OR IGNORE INTO temp.sync_kept (email)
    SELECT email FROM temp.sync_subscribers
     WHERE tidings_address_hash(email) IN (SELECT address_hash FROM main.suppressions);
  DELETE FROM temp.sync_subscribers WHERE email IN (SELECT email FROM temp.sync_kept)
    AND tidings_address_hash(email) IN (SELECT address_hash FROM main.suppressions);
`;

const INSERT_NEW = `
  INSERT INTO main.subscribers (email, name, first_name, languages, locale, timezone, status, status_origin, hard_bounces, created_at, updated_at)
    SELECT email, name, first_name, languages, locale, timezone, status, 'file', 0, @now, @now FROM temp.sync_subscribers WHERE is_new = 1 ORDER BY seq
`;

const LINK_NEW = `
  UPDATE temp.sync_subscribers SET subscriber_id = (SELECT s.id FROM main.subscribers s WHERE s.email = sync_subscribers.email)
    WHERE is_new = 1;
  CREATE INDEX temp.sync_subscribers_id ON sync_subscribers (subscriber_id);
  CREATE TEMP TABLE sync_subscriptions (
    subscriber_id INTEGER NOT NULL, newsletter_id TEXT NOT NULL, categories TEXT,
    PRIMARY KEY (subscriber_id, newsletter_id)
  ) WITHOUT ROWID;
  -- json_each gives an array's JSON text as its value: the same text JSON.stringify wrote.
  INSERT INTO temp.sync_subscriptions (subscriber_id, newsletter_id, categories)
    SELECT t.subscriber_id, j.key, CASE WHEN j.type = 'null' THEN NULL ELSE j.value END
      FROM temp.sync_subscribers t, json_each(t.subs) j;
`;

/** A stored subscription that the files no longer list and that the files still decide. */
const MISSING = `
  m.origin = 'file' AND m.status = 'active'
  AND NOT EXISTS (SELECT 1 FROM temp.sync_subscriptions x WHERE x.subscriber_id = m.subscriber_id AND x.newsletter_id = m.newsletter_id)
  AND NOT EXISTS (SELECT 1 FROM main.subscribers s JOIN temp.sync_kept k ON k.email = s.email WHERE s.id = m.subscriber_id)
`;

/** Listed subscribers whose subscriptions the merge will add, reactivate or re-categorize. */
const MARK_CHANGED_SUBSCRIPTIONS = `
  UPDATE temp.sync_subscribers SET changed = 1 WHERE is_new = 0 AND changed = 0 AND subscriber_id IN (
    SELECT x.subscriber_id FROM temp.sync_subscriptions x
      LEFT JOIN main.subscriptions m ON m.newsletter_id = x.newsletter_id AND m.subscriber_id = x.subscriber_id
      WHERE m.subscriber_id IS NULL
        OR (m.origin = 'file' AND m.status <> 'active')
        OR (m.categories_origin = 'file' AND m.categories IS NOT x.categories))
`;

/** Listed subscribers who lost one of their newsletters in the files. */
const MARK_DROPPED_SUBSCRIPTIONS = `
  UPDATE temp.sync_subscribers SET changed = 1 WHERE is_new = 0 AND changed = 0 AND subscriber_id IN (
    SELECT m.subscriber_id FROM main.subscriptions m JOIN temp.sync_subscribers t ON t.subscriber_id = m.subscriber_id WHERE ${MISSING})
`;

const UPSERT_SUBSCRIPTIONS = `
  INSERT INTO main.subscriptions (subscriber_id, newsletter_id, categories, status, origin, categories_origin, updated_at)
    SELECT subscriber_id, newsletter_id, categories, 'active', 'file', 'file', @now FROM temp.sync_subscriptions WHERE true
  ON CONFLICT (newsletter_id, subscriber_id) DO UPDATE SET
    status = CASE WHEN origin = 'subscriber' THEN status ELSE 'active' END,
    categories = CASE WHEN categories_origin = 'subscriber' THEN categories ELSE excluded.categories END,
    updated_at = excluded.updated_at
  WHERE (origin = 'file' AND status <> 'active') OR (categories_origin = 'file' AND categories IS NOT excluded.categories)
`;

export class SqliteSubscriberSync implements SubscriberSyncSession {
  private finished = false;
  private readonly upsertSubscriber;
  private readonly mergeSubs;
  private seq = 0;
  private readonly insertKept;
  private readonly stageCadence;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly onFinish: () => void,
  ) {
    db.exec(CREATE_STAGING);
    db.exec(CADENCE_STAGING);
    this.stageCadence = db.prepare<[string, string, string]>(STAGE_CADENCE);
    this.upsertSubscriber = db.prepare<
      [Record<string, unknown>],
      { prev_file: string | null; prev_line: number | null; prev_subs: string | null }
    >(
      `INSERT INTO temp.sync_subscribers (email, seq, name, first_name, languages, locale, timezone, status, subs, file, line)
         VALUES (@email, @seq, @name, @firstName, @languages, @locale, @timezone, @status, @subs, @file, @line)
       ON CONFLICT (email) DO UPDATE SET name = excluded.name, first_name = excluded.first_name, languages = excluded.languages, locale = excluded.locale, timezone = excluded.timezone,
         status = excluded.status, subs = excluded.subs, file = excluded.file, line = excluded.line,
         prev_file = file, prev_line = line, prev_subs = subs
       RETURNING prev_file, prev_line, prev_subs`,
    );
    this.mergeSubs = db.prepare<[string, string]>('UPDATE temp.sync_subscribers SET subs = ? WHERE email = ?');
    this.insertKept = db.prepare('INSERT OR IGNORE INTO temp.sync_kept (email) VALUES (?)');
  }

  async stage(rows: readonly StagedSubscriber[]): Promise<({ file: string; line: number } | null)[]> {
    this.assertOpen();
    return this.db.transaction(() =>
      rows.map((row) => {
        const subs: Record<string, string[] | null> = {};
        for (const sub of row.subscriptions) {
          subs[sub.newsletterId] = sub.categories;
          if (sub.cadence) this.stageCadence.run(row.email, sub.newsletterId, sub.cadence);
        }
        const staged = this.upsertSubscriber.get({
          email: row.email,
          seq: ++this.seq,
          name: row.name,
          firstName: row.firstName,
          languages: row.languages ? JSON.stringify(row.languages) : null,
          locale: row.locale,
          timezone: row.timezone,
          status: row.status,
          subs: JSON.stringify(subs),
          file: row.file,
          line: row.line,
        })!;
        if (staged.prev_file === null) return null;
        // Listed before: newsletters joined; for a newsletter in both, the later row wins.
        const merged = { ...(JSON.parse(staged.prev_subs!) as Record<string, string[] | null>), ...subs };
        this.mergeSubs.run(JSON.stringify(merged), row.email);
        return { file: staged.prev_file, line: staged.prev_line! };
      }),
    )();
  }

  async keep(emails: readonly string[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const email of emails) this.insertKept.run(email);
    })();
  }

  async apply(at: Date, options: { removeMissing: boolean }): Promise<SyncCounts> {
    this.assertOpen();
    const now = at.toISOString();
    try {
      // IMMEDIATE: take the write lock up front rather than fail half-way on a busy store.
      return this.db
        .transaction(() => {
          const staged = this.scalar('SELECT COUNT(*) FROM temp.sync_subscribers');
          // Hashing every staged address costs ~1 µs each: only when there is something to match.
          if (this.scalar('SELECT EXISTS (SELECT 1 FROM main.suppressions)')) this.db.exec(DROP_SUPPRESSED);
          this.db.exec(PREPARE_MERGE);
          const total = this.scalar('SELECT COUNT(*) FROM temp.sync_subscribers');
          const added = this.scalar('SELECT COUNT(*) FROM temp.sync_subscribers WHERE is_new = 1');
          this.db.prepare(INSERT_NEW).run({ now });
          this.db.exec(LINK_NEW);
          this.db.exec(MARK_CHANGED_SUBSCRIPTIONS);
          this.db.exec(MARK_CHANGED_CADENCES);
          if (options.removeMissing) this.db.exec(MARK_DROPPED_SUBSCRIPTIONS);
          let removed = 0;
          const updated = this.scalar('SELECT COUNT(*) FROM temp.sync_subscribers WHERE is_new = 0 AND changed = 1');
          this.db
            .prepare(
              `UPDATE main.subscribers AS s SET name = t.name, first_name = t.first_name, languages = t.languages,
               locale = CASE WHEN s.profile_origin = 'file' THEN t.locale ELSE s.locale END,
               timezone = CASE WHEN s.profile_origin = 'file' THEN t.timezone ELSE s.timezone END,
               status = CASE WHEN s.status_origin = 'file' THEN t.status ELSE s.status END, updated_at = @now
             FROM temp.sync_subscribers AS t WHERE t.subscriber_id = s.id AND t.is_new = 0 AND t.changed = 1`,
            )
            .run({ now });
          this.db.prepare(UPSERT_SUBSCRIPTIONS).run({ now });
          this.db.prepare(APPLY_FILE_CADENCES).run({ now });
          if (options.removeMissing) {
            removed = this.scalar(
              `SELECT COUNT(DISTINCT m.subscriber_id) FROM main.subscriptions m WHERE ${MISSING}
               AND NOT EXISTS (SELECT 1 FROM temp.sync_subscribers t WHERE t.subscriber_id = m.subscriber_id)`,
            );
            this.db
              .prepare(`UPDATE main.subscriptions AS m SET status = 'removed', updated_at = @now WHERE ${MISSING}`)
              .run({ now });
          }
          return { added, updated, unchanged: total - added - updated, removed, suppressed: staged - total };
        })
        .immediate();
    } finally {
      this.finish();
    }
  }

  async discard(): Promise<void> {
    if (!this.finished) this.finish();
  }

  private scalar(sql: string): number {
    return this.db.prepare(sql).pluck().get() as number;
  }

  private finish(): void {
    this.finished = true;
    this.db.exec(DROP_STAGING);
    this.db.exec(DROP_CADENCE_STAGING);
    this.onFinish();
  }

  private assertOpen(): void {
    if (this.finished) throw new TidingsError('STORE_FAILED', 'this subscriber sync was already applied or discarded');
  }
}
