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
import type { PgDatabase } from './pg-database.ts';

/** Subscriber pages and operator decisions in PostgreSQL (sqlite-subscriber-lifecycle.ts is the reference). */
export class PgSubscriberLifecycle implements SubscriberLifecycleStore {
  constructor(protected readonly db: PgDatabase) {}

  async subscribe(
    subscriberId: number,
    newsletterId: string,
    at: Date,
    categories?: readonly string[] | null,
  ): Promise<boolean> {
    const keep = categories === undefined;
    const json = keep || categories === null ? null : JSON.stringify([...new Set(categories)]);
    const result = await this.db.query(
      `INSERT INTO subscriptions (subscriber_id, newsletter_id, categories, status, origin, categories_origin, updated_at)
         VALUES ($1, $2, $3, 'active', 'subscriber', $4, $5)
       ON CONFLICT (newsletter_id, subscriber_id) DO UPDATE SET status = 'active', origin = 'subscriber',
         categories = CASE WHEN $6::boolean THEN subscriptions.categories ELSE excluded.categories END,
         categories_origin = CASE WHEN $6::boolean THEN subscriptions.categories_origin ELSE 'subscriber' END,
         updated_at = excluded.updated_at
       WHERE subscriptions.status <> 'active' OR subscriptions.origin <> 'subscriber'
         OR (NOT $6::boolean AND subscriptions.categories IS DISTINCT FROM excluded.categories)`,
      [subscriberId, newsletterId, json, keep ? 'file' : 'subscriber', at.toISOString(), keep],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async setProfile(subscriberId: number, profile: ProfileChoice, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE subscribers SET locale = $1, timezone = $2, paused_until = $3, profile_origin = 'subscriber', updated_at = $4
        WHERE id = $5 AND status <> 'erased'`,
      [profile.locale, profile.timezone, profile.pausedUntil, at.toISOString(), subscriberId],
    );
  }

  async ensureSubscriber(
    person: { email: string; name: string | null; locale: string | null },
    at: Date,
  ): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO subscribers (email, name, locale, status, status_origin, created_at, updated_at)
         VALUES ($1, $2, $3, 'active', 'store', $4, $4)
       ON CONFLICT (email) DO UPDATE SET updated_at = subscribers.updated_at RETURNING id`,
      [person.email, person.name, person.locale, at.toISOString()],
    );
    return rows[0]!.id;
  }

  async erase(subscriberId: number, plan: ErasePlan): Promise<boolean> {
    const now = plan.at.toISOString();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ email: string }>(
        `SELECT email FROM subscribers WHERE id = $1 AND status <> 'erased' FOR UPDATE`,
        [subscriberId],
      );
      if (!rows[0]) return false;
      const email = rows[0].email;
      await tx.query(
        `UPDATE subscribers SET email = $1, name = NULL, first_name = NULL, languages = NULL, locale = NULL, timezone = NULL, paused_until = NULL,
           status = 'erased', status_origin = 'store', hard_bounces = 0, erased_at = $2, updated_at = $2 WHERE id = $3`,
        [`erased-${subscriberId}@erased.invalid`, now, subscriberId],
      );
      await tx.query('DELETE FROM subscriptions WHERE subscriber_id = $1', [subscriberId]);
      await tx.query('DELETE FROM received_articles WHERE subscriber_id = $1', [subscriberId]);
      await tx.query('DELETE FROM signup_requests WHERE email = $1', [email]);
      // Counts stay true: the rows remain, under an id that no longer leads to anyone.
      await tx.query(
        'UPDATE deliveries SET subscriber_id = $1, message_id = NULL, response = NULL WHERE subscriber_id = $2',
        [plan.hashedId, subscriberId],
      );
      await tx.query('UPDATE unsubscribe_events SET subscriber_id = $1 WHERE subscriber_id = $2', [
        plan.hashedId,
        subscriberId,
      ]);
      await tx.query(
        'INSERT INTO suppressions (address_hash, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [plan.addressHash, plan.reason, now],
      );
      return true;
    });
  }

  async history(subscriberId: number): Promise<SubscriberHistory> {
    const deliveries = await this.db.query<{
      editionId: string;
      status: string;
      finishedAt: string | null;
      segment: string | null;
    }>(
      `SELECT edition_id AS "editionId", status, finished_at AS "finishedAt", segment FROM deliveries
        WHERE subscriber_id = $1 ORDER BY edition_id COLLATE "C"`,
      [subscriberId],
    );
    const received = await this.db.query<{ articleId: string; editionId: string }>(
      `SELECT article_id AS "articleId", edition_id AS "editionId" FROM received_articles WHERE subscriber_id = $1
        ORDER BY edition_id COLLATE "C", article_id COLLATE "C"`,
      [subscriberId],
    );
    const events = await this.db.query<StoredUnsubscribeEvent & { subscriberId: string | number }>(
      `SELECT subscriber_id AS "subscriberId", newsletter_id AS "newsletterId", edition_id AS "editionId", channel, at
         FROM unsubscribe_events WHERE subscriber_id = $1 ORDER BY id`,
      [subscriberId],
    );
    return {
      deliveries: deliveries.rows,
      receivedArticles: received.rows,
      unsubscribeEvents: events.rows.map((row) => ({ ...row, subscriberId: Number(row.subscriberId) })),
    };
  }

  async unsubscribesByEdition(newsletterId?: string): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ edition_id: string; n: number }>(
      `SELECT edition_id, COUNT(*)::int AS n FROM unsubscribe_events
        WHERE edition_id IS NOT NULL AND ($1::text IS NULL OR newsletter_id = $1::text) GROUP BY edition_id`,
      [newsletterId ?? null],
    );
    return new Map(rows.map((row) => [row.edition_id, row.n]));
  }

  async listSuppressions(): Promise<SuppressionRecord[]> {
    const { rows } = await this.db.query<SuppressionRecord>(
      `SELECT address_hash AS "addressHash", reason, created_at AS "createdAt" FROM suppressions ORDER BY created_at, address_hash COLLATE "C"`,
    );
    return rows;
  }

  async addSuppression(addressHash: string, reason: string, at: Date): Promise<boolean> {
    const result = await this.db.query(
      'INSERT INTO suppressions (address_hash, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [addressHash, reason, at.toISOString()],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async removeSuppression(addressHash: string): Promise<boolean> {
    return ((await this.db.query('DELETE FROM suppressions WHERE address_hash = $1', [addressHash])).rowCount ?? 0) > 0;
  }

  async isSuppressed(addressHash: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM suppressions WHERE address_hash = $1', [addressHash])).rows.length > 0;
  }

  async createSignupRequest(request: NewSignupRequest): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO signup_requests (newsletter_id, email, name, categories, locale, ip_hash, kind, created_at, expires_at, mail_status, cadence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10) RETURNING id`,
      [
        request.newsletterId,
        request.email,
        request.name,
        request.categories === null ? null : JSON.stringify(request.categories),
        request.locale,
        request.ipHash,
        request.kind,
        request.createdAt.toISOString(),
        request.expiresAt.toISOString(),
        request.cadence,
      ],
    );
    return rows[0]!.id;
  }

  async claimSignupMail(at: Date, staleBefore: Date): Promise<SignupRequest | null> {
    const { rows } = await this.db.query<SignupRow>(
      `UPDATE signup_requests SET mail_status = 'sending', mail_claimed_at = $1
        WHERE id = (SELECT id FROM signup_requests
                     WHERE expires_at > $1 AND (mail_status = 'queued' OR (mail_status = 'sending' AND mail_claimed_at < $2))
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [at.toISOString(), staleBefore.toISOString()],
    );
    return rows[0] ? toSignupRequest(rows[0]) : null;
  }

  async finishSignupMail(id: number, outcome: SignupMailOutcome): Promise<void> {
    await this.db.query(
      `UPDATE signup_requests SET mail_status = $1, mail_claimed_at = CASE WHEN $1 = 'queued' THEN NULL ELSE mail_claimed_at END WHERE id = $2`,
      [outcome, id],
    );
  }

  async getSignupRequest(id: number): Promise<SignupRequest | null> {
    const { rows } = await this.db.query<SignupRow>('SELECT * FROM signup_requests WHERE id = $1', [id]);
    return rows[0] ? toSignupRequest(rows[0]) : null;
  }

  async signupRequestsByEmail(email: string): Promise<SignupRequest[]> {
    const { rows } = await this.db.query<SignupRow>('SELECT * FROM signup_requests WHERE email = $1 ORDER BY id', [
      email,
    ]);
    return rows.map(toSignupRequest);
  }

  async markSignupConfirmed(id: number, at: Date): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE signup_requests SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL',
      [at.toISOString(), id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async countSignupRequests(filter: { email?: string; ipHash?: string; since: Date }): Promise<number> {
    const column = filter.email !== undefined ? 'email' : 'ip_hash';
    const value = filter.email ?? filter.ipHash ?? null;
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM signup_requests WHERE ${column} = $1 AND created_at >= $2`,
      [value, filter.since.toISOString()],
    );
    return rows[0]!.n;
  }

  async deleteSignupRequests(email: string): Promise<number> {
    return (await this.db.query('DELETE FROM signup_requests WHERE email = $1', [email])).rowCount ?? 0;
  }

  async purgeSignupRequests(before: Date): Promise<number> {
    return (
      (await this.db.query('DELETE FROM signup_requests WHERE expires_at < $1', [before.toISOString()])).rowCount ?? 0
    );
  }
}
