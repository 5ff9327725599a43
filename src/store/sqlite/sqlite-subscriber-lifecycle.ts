import type {
  ErasePlan,
  NewSignupRequest,
  ProfileChoice,
  SignupMailOutcome,
  SignupRequest,
  StoredUnsubscribeEvent,
  SubscriberHistory,
  SubscriberLifecycleStore,
  SuppressionRecord,
} from '../../subscribers/subscriber-lifecycle-store.ts';
import { toSignupRequest, type SignupRow } from '../rows/subscriber-rows.ts';
import type { SqliteDatabase } from './open-database.ts';

/** Subscriber pages and operator decisions in the embedded store (migration 6). */
export class SqliteSubscriberLifecycle implements SubscriberLifecycleStore {
  constructor(protected readonly db: SqliteDatabase) {}

  async subscribe(
    subscriberId: number,
    newsletterId: string,
    at: Date,
    categories?: readonly string[] | null,
  ): Promise<boolean> {
    const keepCategories = categories === undefined;
    const json = keepCategories || categories === null ? null : JSON.stringify([...new Set(categories)]);
    const result = this.db
      .prepare(
        `INSERT INTO subscriptions (subscriber_id, newsletter_id, categories, status, origin, categories_origin, updated_at)
           VALUES (@id, @newsletter, @categories, 'active', 'subscriber', @categoriesOrigin, @now)
         ON CONFLICT (newsletter_id, subscriber_id) DO UPDATE SET status = 'active', origin = 'subscriber',
           categories = CASE WHEN @keep THEN categories ELSE excluded.categories END,
           categories_origin = CASE WHEN @keep THEN categories_origin ELSE 'subscriber' END,
           updated_at = excluded.updated_at
         WHERE status <> 'active' OR origin <> 'subscriber' OR (NOT @keep AND categories IS NOT excluded.categories)`,
      )
      .run({
        id: subscriberId,
        newsletter: newsletterId,
        categories: json,
        categoriesOrigin: keepCategories ? 'file' : 'subscriber',
        keep: keepCategories ? 1 : 0,
        now: at.toISOString(),
      });
    return result.changes > 0;
  }

  async setProfile(subscriberId: number, profile: ProfileChoice, at: Date): Promise<void> {
    this.db
      .prepare(
        `UPDATE subscribers SET locale = ?, timezone = ?, paused_until = ?, profile_origin = 'subscriber', updated_at = ?
          WHERE id = ? AND status <> 'erased'`,
      )
      .run(profile.locale, profile.timezone, profile.pausedUntil, at.toISOString(), subscriberId);
  }

  async ensureSubscriber(
    person: { email: string; name: string | null; locale: string | null },
    at: Date,
  ): Promise<number> {
    const now = at.toISOString();
    return this.db
      .prepare<[Record<string, unknown>], number>(
        `INSERT INTO subscribers (email, name, locale, status, status_origin, created_at, updated_at)
           VALUES (@email, @name, @locale, 'active', 'store', @now, @now)
         ON CONFLICT (email) DO UPDATE SET updated_at = updated_at RETURNING id`,
      )
      .pluck()
      .get({ email: person.email, name: person.name, locale: person.locale, now })!;
  }

  async erase(subscriberId: number, plan: ErasePlan): Promise<boolean> {
    const now = plan.at.toISOString();
    return this.db.transaction(() => {
      const email = this.db
        .prepare<[number], string>(`SELECT email FROM subscribers WHERE id = ? AND status <> 'erased'`)
        .pluck()
        .get(subscriberId);
      if (email === undefined) return false;
      this.db
        .prepare(
          `UPDATE subscribers SET email = ?, name = NULL, first_name = NULL, languages = NULL, locale = NULL, timezone = NULL, paused_until = NULL,
             status = 'erased', status_origin = 'store', hard_bounces = 0, erased_at = ?, updated_at = ? WHERE id = ?`,
        )
        .run(`erased-${subscriberId}@erased.invalid`, now, now, subscriberId);
      this.db.prepare('DELETE FROM subscriptions WHERE subscriber_id = ?').run(subscriberId);
      this.db.prepare('DELETE FROM received_articles WHERE subscriber_id = ?').run(subscriberId);
      this.db.prepare('DELETE FROM signup_requests WHERE email = ?').run(email);
      // Counts stay true: the rows remain, under an id that no longer leads to anyone.
      this.db
        .prepare(`UPDATE deliveries SET subscriber_id = ?, message_id = NULL, response = NULL WHERE subscriber_id = ?`)
        .run(plan.hashedId, subscriberId);
      this.db
        .prepare('UPDATE unsubscribe_events SET subscriber_id = ? WHERE subscriber_id = ?')
        .run(plan.hashedId, subscriberId);
      this.db
        .prepare('INSERT OR IGNORE INTO suppressions (address_hash, reason, created_at) VALUES (?, ?, ?)')
        .run(plan.addressHash, plan.reason, now);
      return true;
    })();
  }

  async history(subscriberId: number): Promise<SubscriberHistory> {
    const deliveries = this.db
      .prepare<[number], { editionId: string; status: string; finishedAt: string | null; segment: string | null }>(
        `SELECT edition_id AS editionId, status, finished_at AS finishedAt, segment FROM deliveries
          WHERE subscriber_id = ? ORDER BY edition_id`,
      )
      .all(subscriberId);
    const receivedArticles = this.db
      .prepare<[number], { articleId: string; editionId: string }>(
        'SELECT article_id AS articleId, edition_id AS editionId FROM received_articles WHERE subscriber_id = ? ORDER BY edition_id, article_id',
      )
      .all(subscriberId);
    const unsubscribeEvents = this.db
      .prepare<[number], StoredUnsubscribeEvent>(
        `SELECT subscriber_id AS subscriberId, newsletter_id AS newsletterId, edition_id AS editionId, channel, at
           FROM unsubscribe_events WHERE subscriber_id = ? ORDER BY id`,
      )
      .all(subscriberId);
    return { deliveries, receivedArticles, unsubscribeEvents };
  }

  async unsubscribesByEdition(newsletterId?: string): Promise<Map<string, number>> {
    const rows = this.db
      .prepare<[string | null, string | null], { edition_id: string; n: number }>(
        `SELECT edition_id, COUNT(*) AS n FROM unsubscribe_events
          WHERE edition_id IS NOT NULL AND (? IS NULL OR newsletter_id = ?) GROUP BY edition_id`,
      )
      .all(newsletterId ?? null, newsletterId ?? null);
    return new Map(rows.map((row) => [row.edition_id, row.n]));
  }

  async listSuppressions(): Promise<SuppressionRecord[]> {
    return this.db
      .prepare<[], SuppressionRecord>(
        'SELECT address_hash AS addressHash, reason, created_at AS createdAt FROM suppressions ORDER BY created_at, address_hash',
      )
      .all();
  }

  async addSuppression(addressHash: string, reason: string, at: Date): Promise<boolean> {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO suppressions (address_hash, reason, created_at) VALUES (?, ?, ?)')
      .run(addressHash, reason, at.toISOString());
    return result.changes > 0;
  }

  async removeSuppression(addressHash: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM suppressions WHERE address_hash = ?').run(addressHash).changes > 0;
  }

  async isSuppressed(addressHash: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM suppressions WHERE address_hash = ?').get(addressHash) !== undefined;
  }

  async createSignupRequest(request: NewSignupRequest): Promise<number> {
    return Number(
      this.db
        .prepare(
          `INSERT INTO signup_requests (newsletter_id, email, name, categories, locale, cadence, ip_hash, kind, created_at, expires_at, mail_status)
             VALUES (@newsletterId, @email, @name, @categories, @locale, @cadence, @ipHash, @kind, @createdAt, @expiresAt, 'queued')`,
        )
        .run({
          ...request,
          categories: request.categories === null ? null : JSON.stringify(request.categories),
          createdAt: request.createdAt.toISOString(),
          expiresAt: request.expiresAt.toISOString(),
        }).lastInsertRowid,
    );
  }

  async claimSignupMail(at: Date, staleBefore: Date): Promise<SignupRequest | null> {
    const row = this.db
      .prepare<[Record<string, string>], SignupRow>(
        `UPDATE signup_requests SET mail_status = 'sending', mail_claimed_at = @at
          WHERE id = (SELECT id FROM signup_requests
                       WHERE expires_at > @at AND (mail_status = 'queued' OR (mail_status = 'sending' AND mail_claimed_at < @stale))
                       ORDER BY id LIMIT 1)
          RETURNING *`,
      )
      .get({ at: at.toISOString(), stale: staleBefore.toISOString() });
    return row ? toSignupRequest(row) : null;
  }

  async finishSignupMail(id: number, outcome: SignupMailOutcome): Promise<void> {
    this.db
      .prepare(
        `UPDATE signup_requests SET mail_status = ?, mail_claimed_at = CASE WHEN ? = 'queued' THEN NULL ELSE mail_claimed_at END WHERE id = ?`,
      )
      .run(outcome, outcome, id);
  }

  async getSignupRequest(id: number): Promise<SignupRequest | null> {
    const row = this.db.prepare<[number], SignupRow>('SELECT * FROM signup_requests WHERE id = ?').get(id);
    return row ? toSignupRequest(row) : null;
  }

  async signupRequestsByEmail(email: string): Promise<SignupRequest[]> {
    return this.db
      .prepare<[string], SignupRow>('SELECT * FROM signup_requests WHERE email = ? ORDER BY id')
      .all(email)
      .map(toSignupRequest);
  }

  async markSignupConfirmed(id: number, at: Date): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE signup_requests SET confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL')
        .run(at.toISOString(), id).changes > 0
    );
  }

  async countSignupRequests(filter: { email?: string; ipHash?: string; since: Date }): Promise<number> {
    const column = filter.email !== undefined ? 'email' : 'ip_hash';
    const value = filter.email ?? filter.ipHash ?? null;
    return this.db
      .prepare<[string | null, string], number>(
        `SELECT COUNT(*) FROM signup_requests WHERE ${column} = ? AND created_at >= ?`,
      )
      .pluck()
      .get(value, filter.since.toISOString())!;
  }

  async deleteSignupRequests(email: string): Promise<number> {
    return this.db.prepare('DELETE FROM signup_requests WHERE email = ?').run(email).changes;
  }

  async purgeSignupRequests(before: Date): Promise<number> {
    return this.db.prepare('DELETE FROM signup_requests WHERE expires_at < ?').run(before.toISOString()).changes;
  }
}
