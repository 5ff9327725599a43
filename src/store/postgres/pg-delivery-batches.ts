import type { AcceptedRecord, ClaimResult } from '../../delivery/ledger.ts';
import type { PgDatabase } from './pg-database.ts';
import { StatementBatch } from './pg-statement-batch.ts';

/**
 * Why a pending row may no longer be sent (NULL: it may), as in sqlite-ledger.ts; `edition`
 * and `subscriber` are SQL expressions (a parameter or a column): the newsletter is the
 * edition id's part before the slash.
 */
export function noLongerWanted(edition: string, subscriber: string): string {
  return `(
  SELECT CASE
    WHEN sub.status IS NOT NULL AND sub.status <> 'active' THEN 'subscription ' || sub.status || ' before delivery'
    WHEN s.status <> 'active' THEN 'subscriber ' || s.status || ' before delivery'
    WHEN EXISTS (SELECT 1 FROM suppressions x WHERE x.address_hash = tidings_address_hash(s.email)) THEN 'address suppressed before delivery'
  END
  FROM subscribers s
  LEFT JOIN subscriptions sub ON sub.subscriber_id = s.id AND sub.newsletter_id = split_part(${edition}, '/', 1)
  WHERE s.id = ${subscriber})`;
}

export interface ClaimRequest {
  editionId: string;
  subscriberId: number;
  at: Date;
  /** A worker marking a row leased to it in flight; null: a process outside the workers (`tidings send`). */
  workerId: string | null;
}

/** Claimable by the requester: leased to this worker, or (no worker) not leased or its lease ran out. */
const CLAIMABLE = `CASE WHEN c.worker_id IS NULL THEN (d.lease_until IS NULL OR d.lease_until <= c.at)
  ELSE (d.lease_owner = c.worker_id AND d.lease_until IS NOT NULL) END`;

/**
 * pending → sending for many rows (the rules of Ledger.claim and WorkQueue.claimLeased),
 * and pending → skipped, with the reason, for a claimable row whose reader left after the
 * audience was read: one round trip whether a claim is won, lost or skipped. A worker's
 * `lease_owner` stays on the row, so an ambiguous row names it. The UPDATEs re-check status
 * and lease on the row they change (a row another process changed meanwhile is re-read by
 * PostgreSQL), so only one caller ever wins a row. `at` is the number of the first of its
 * four parameters; the statement ends with the claimed and skipped rows.
 */
function claimCtes(at: number): string {
  const [editions, subscribers, times, workers] = [at, at + 1, at + 2, at + 3].map((n) => `$${n}`);
  return `c AS (
         SELECT w.edition_id, w.subscriber_id, w.at, w.worker_id, ${noLongerWanted('w.edition_id', 'w.subscriber_id')} AS reason
           FROM unnest(${editions}::text[], ${subscribers}::bigint[], ${times}::text[], ${workers}::text[]) AS w (edition_id, subscriber_id, at, worker_id)),
       claimed AS (
         UPDATE deliveries d SET status = 'sending', claimed_at = c.at, attempts = d.attempts + 1,
           lease_owner = c.worker_id, lease_until = NULL
         FROM c WHERE d.edition_id = c.edition_id AND d.subscriber_id = c.subscriber_id AND c.reason IS NULL
           AND d.status = 'pending' AND ${CLAIMABLE}
         RETURNING d.edition_id, d.subscriber_id, NULL::text AS reason),
       skipped AS (
         UPDATE deliveries d SET status = 'skipped', finished_at = c.at, reason = c.reason, lease_owner = NULL, lease_until = NULL
         FROM c WHERE d.edition_id = c.edition_id AND d.subscriber_id = c.subscriber_id AND c.reason IS NOT NULL
           AND d.status = 'pending' AND ${CLAIMABLE}
         RETURNING d.edition_id, d.subscriber_id, d.reason)`;
}

/**
 * sending → accepted for many rows, with the articles each reader got (nine parameters
 * from $1). Only a row still `sending` changes. `noDiskWait`: the statement turns
 * `synchronous_commit` off for its own transaction (set_config(…, true) in its FROM): the
 * row is claimed, so losing this write (only a crash of the database server can) leaves it
 * `sending`, reported as ambiguous and never resent — no reader gets a second copy, and no
 * message waits for the server's disk. With claims in the same statement it stays on: they
 * must reach the disk before their SMTP calls.
 */
function acceptedCtes(noDiskWait: boolean): string {
  return `accepted AS (
         UPDATE deliveries d SET status = 'accepted', finished_at = o.at, message_id = o.message_id, response = o.response,
           segment = o.segment, error_code = NULL, retryable = 0
         FROM ${noDiskWait ? `(SELECT set_config('synchronous_commit', 'off', true)) AS no_disk_wait,` : ''}
              unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
                AS o (edition_id, subscriber_id, at, message_id, response, segment)
         WHERE d.edition_id = o.edition_id AND d.subscriber_id = o.subscriber_id AND d.status = 'sending'
         RETURNING d.edition_id, d.subscriber_id),
       received AS (
         INSERT INTO received_articles (subscriber_id, article_id, edition_id)
           SELECT r.subscriber_id, r.article_id, r.edition_id
             FROM unnest($7::text[], $8::bigint[], $9::text[]) AS r (edition_id, subscriber_id, article_id)
             JOIN accepted a ON a.edition_id = r.edition_id AND a.subscriber_id = r.subscriber_id
         ON CONFLICT DO NOTHING)`;
}

const CLAIMS_ONLY = `WITH ${claimCtes(1)} SELECT * FROM claimed UNION ALL SELECT * FROM skipped`;
const ACCEPTED_ONLY = `WITH ${acceptedCtes(true)} SELECT NULL::text AS edition_id, NULL::bigint AS subscriber_id, NULL::text AS reason WHERE false`;
const ACCEPTED_THEN_CLAIMS = `WITH ${acceptedCtes(false)}, ${claimCtes(10)} SELECT * FROM claimed UNION ALL SELECT * FROM skipped`;

export interface AcceptedOutcome {
  editionId: string;
  subscriberId: number;
  at: Date;
  record: AcceptedRecord;
}

type LedgerWrite = { claim: ClaimRequest } | { accepted: AcceptedOutcome };

function acceptedParams(outcomes: readonly AcceptedOutcome[]): unknown[] {
  const articles = outcomes.flatMap((o) =>
    o.record.articleIds.map((articleId) => [o.editionId, o.subscriberId, articleId] as const),
  );
  return [
    outcomes.map((o) => o.editionId),
    outcomes.map((o) => o.subscriberId),
    outcomes.map((o) => o.at.toISOString()),
    outcomes.map((o) => o.record.messageId),
    outcomes.map((o) => o.record.response),
    outcomes.map((o) => o.record.segment),
    articles.map((a) => a[0]),
    articles.map((a) => a[1]),
    articles.map((a) => a[2]),
  ];
}

const claimKey = (r: { editionId: string; subscriberId: number }) => `${r.editionId}\n${r.subscriberId}`;

/**
 * Claims and acceptances, in the order asked, one statement for all those asked while the
 * previous statement is on its way (StatementBatch): an acceptance and the claim its lane
 * asks for next share one round trip and one commit, the acceptance first, so a lane never
 * holds two `sending` rows (the SQLite ledger's group commit does the same; Ledger.commitsInOrder).
 * A claim is committed, to disk, before its promise resolves; acceptances alone skip the
 * disk wait (acceptedCtes).
 */
export class LedgerWrites {
  private readonly batch: StatementBatch<LedgerWrite, ClaimResult | undefined>;

  constructor(private readonly db: PgDatabase) {
    this.batch = new StatementBatch((writes) => this.run(writes));
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.batch.submit({ claim: request }) as Promise<ClaimResult>;
  }

  async accepted(outcome: AcceptedOutcome): Promise<void> {
    await this.batch.submit({ accepted: outcome });
  }

  private async run(writes: LedgerWrite[]): Promise<(ClaimResult | undefined)[]> {
    const outcomes = writes.flatMap((w) => ('accepted' in w ? [w.accepted] : []));
    const claims = writes.flatMap((w) => ('claim' in w ? [w.claim] : []));
    // A row asked for twice in one statement is won once: the second asker loses it.
    const first = new Map<string, ClaimRequest>();
    for (const r of claims) if (!first.has(claimKey(r))) first.set(claimKey(r), r);
    const unique = [...first.values()];
    const claimParams = [
      unique.map((r) => r.editionId),
      unique.map((r) => r.subscriberId),
      unique.map((r) => r.at.toISOString()),
      unique.map((r) => r.workerId),
    ];
    type Row = { edition_id: string; subscriber_id: string; reason: string | null };
    const { rows } = !claims.length
      ? await this.db.queryPrepared<Row>('tidings_accepted_batch', ACCEPTED_ONLY, acceptedParams(outcomes))
      : !outcomes.length
        ? await this.db.queryPrepared<Row>('tidings_claim_or_skip_batch', CLAIMS_ONLY, claimParams)
        : await this.db.queryPrepared<Row>('tidings_accepted_then_claims', ACCEPTED_THEN_CLAIMS, [
            ...acceptedParams(outcomes),
            ...claimParams,
          ]);
    const won = new Map(
      rows.map((row) => [claimKey({ editionId: row.edition_id, subscriberId: Number(row.subscriber_id) }), row.reason]),
    );
    return writes.map((w): ClaimResult | undefined => {
      if (!('claim' in w)) return undefined;
      const reason = first.get(claimKey(w.claim)) === w.claim ? won.get(claimKey(w.claim)) : undefined;
      if (reason === null) return { claimed: true };
      return { claimed: false, skipped: reason ?? null };
    });
  }
}
